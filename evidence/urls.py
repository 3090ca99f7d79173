from django.urls import path

from evidence import views

ANSWER = "periode/<int:cycle_pk>/opd/<int:agency_pk>/indikator/<int:node_pk>/"

urlpatterns = [
    path("isian/<int:pk>/", views.evidence_submission, name="evidence_submission"),
    path("isian/<int:pk>/unggah/", views.evidence_upload, name="evidence_upload"),
    path("isian/<int:pk>/tautan/", views.evidence_link, name="evidence_link"),
    path("isian/<int:pk>/lampirkan/", views.evidence_attach, name="evidence_attach"),
    path("isian/<int:pk>/ubah/<int:evidence_pk>/", views.evidence_edit, name="evidence_edit"),
    path(f"{ANSWER}unggah/", views.evidence_answer_upload, name="evidence_answer_upload"),
    path(f"{ANSWER}tautan/", views.evidence_answer_link, name="evidence_answer_link"),
    path("isian/<int:pk>/lepas/<int:evidence_pk>/", views.evidence_detach, name="evidence_detach"),
    path(
        "isian/<int:pk>/revisi/<int:evidence_pk>/",
        views.evidence_revision,
        name="evidence_revision",
    ),
    path(
        "periode/<int:cycle_pk>/opd/<int:agency_pk>/pakai-ulang/",
        views.evidence_reuse,
        name="evidence_reuse",
    ),
    path("berkas/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("berkas/<int:pk>/lihat/", views.evidence_preview, name="evidence_preview"),
]
