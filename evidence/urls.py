from django.urls import path

from evidence import views

ANSWER = "periode/<id:cycle_pk>/opd/<id:agency_pk>/indikator/<id:node_pk>/"

urlpatterns = [
    path("isian/<id:pk>/", views.evidence_submission, name="evidence_submission"),
    path("isian/<id:pk>/unggah/", views.evidence_upload, name="evidence_upload"),
    path("isian/<id:pk>/tautan/", views.evidence_link, name="evidence_link"),
    path("isian/<id:pk>/lampirkan/", views.evidence_attach, name="evidence_attach"),
    path("isian/<id:pk>/ubah/<id:evidence_pk>/", views.evidence_edit, name="evidence_edit"),
    path(f"{ANSWER}unggah/", views.evidence_answer_upload, name="evidence_answer_upload"),
    path(f"{ANSWER}tautan/", views.evidence_answer_link, name="evidence_answer_link"),
    path("isian/<id:pk>/lepas/<id:evidence_pk>/", views.evidence_detach, name="evidence_detach"),
    path(
        "isian/<id:pk>/revisi/<id:evidence_pk>/",
        views.evidence_revision,
        name="evidence_revision",
    ),
    path(
        "periode/<id:cycle_pk>/opd/<id:agency_pk>/pakai-ulang/",
        views.evidence_reuse,
        name="evidence_reuse",
    ),
    path("berkas/<id:pk>/", views.evidence_download, name="evidence_download"),
    path("berkas/<id:pk>/lihat/", views.evidence_preview, name="evidence_preview"),
]
