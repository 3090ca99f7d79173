from django.urls import path

from followups import views

urlpatterns = [
    path("<id:cycle_pk>/", views.follow_up_list, name="follow_up_list"),
    path("<id:cycle_pk>/temuan/", views.findings, name="findings"),
    path("<id:cycle_pk>/temuan/tambah/", views.finding_add, name="finding_add"),
    path("temuan/<id:pk>/ubah/", views.finding_edit, name="finding_edit"),
    path("temuan/<id:pk>/hapus/", views.finding_delete, name="finding_delete"),
    path("temuan/<id:pk>/tindak-lanjut/", views.follow_up_create, name="follow_up_create"),
    path("butir/<id:pk>/", views.follow_up_detail, name="follow_up_detail"),
]
