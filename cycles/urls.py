from django.urls import path

from cycles import team_views, views

urlpatterns = [
    path("periode/", views.cycle_list, name="cycle_list"),
    path("periode/baru/", views.cycle_open, name="cycle_open"),
    path("periode/<id:pk>/", views.cycle_detail, name="cycle_detail"),
    path("periode/<id:pk>/penugasan/", views.cycle_assignments, name="cycle_assignments"),
    path(
        "periode/<id:pk>/penugasan/salin/",
        views.cycle_assignments_copy,
        name="cycle_assignments_copy",
    ),
    path(
        "periode/<id:pk>/penugasan/sisanya/",
        views.cycle_assignments_rest,
        name="cycle_assignments_rest",
    ),
    path("periode/<id:pk>/riwayat/", views.cycle_history, name="cycle_history"),
    path("periode/<id:pk>/mutu-baku/", views.cycle_compliance, name="cycle_compliance"),
    path("periode/<id:pk>/tim/", team_views.team_decree, name="team_decree"),
    path("periode/<id:pk>/tim/sk/", team_views.team_decree_save, name="team_decree_save"),
    path("periode/<id:pk>/tim/pdf/", team_views.team_decree_upload, name="team_decree_upload"),
    path(
        "periode/<id:pk>/tim/konfirmasi/",
        team_views.team_decree_confirm,
        name="team_decree_confirm",
    ),
    path(
        "periode/<id:pk>/tim/unduh/", team_views.team_decree_download, name="team_decree_download"
    ),
    path("periode/<id:pk>/tim/anggota/", team_views.team_member_add, name="team_member_add"),
    path(
        "periode/<id:pk>/tim/anggota/<id:member_pk>/",
        team_views.team_member_edit,
        name="team_member_edit",
    ),
    path(
        "periode/<id:pk>/tim/anggota/<id:member_pk>/hapus/",
        team_views.team_member_remove,
        name="team_member_remove",
    ),
    path("kotak-masuk/", views.inbox, name="inbox"),
]
