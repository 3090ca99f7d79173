from django.urls import path

from cycles import views

urlpatterns = [
    path("periode/", views.cycle_list, name="cycle_list"),
    path("periode/baru/", views.cycle_open, name="cycle_open"),
    path("periode/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("periode/<int:pk>/penugasan/", views.cycle_assignments, name="cycle_assignments"),
    path(
        "periode/<int:pk>/penugasan/salin/",
        views.cycle_assignments_copy,
        name="cycle_assignments_copy",
    ),
    path(
        "periode/<int:pk>/penugasan/sisanya/",
        views.cycle_assignments_rest,
        name="cycle_assignments_rest",
    ),
    path("periode/<int:pk>/riwayat/", views.cycle_history, name="cycle_history"),
    path("periode/<int:pk>/mutu-baku/", views.cycle_compliance, name="cycle_compliance"),
    path("kotak-masuk/", views.inbox, name="inbox"),
]
