from django.urls import path

from documents import views

urlpatterns = [
    path("templat/", views.template_list, name="template_list"),
    # The first addresses of the letter template page, kept for links and bookmarks.
    path("templat/surat/", views.letter_template, name="letter_template"),
    path(
        "templat/surat/bawaan.docx", views.default_letter_template, name="default_letter_template"
    ),
    path("templat/berkas/<id:pk>/", views.template_file, name="template_file"),
    path("templat/<slug:kind>/", views.template_kind, name="template_kind"),
    path("templat/<slug:kind>/bawaan.docx", views.template_default, name="template_default"),
    path("periode/<id:cycle_pk>/", views.cycle_documents, name="cycle_documents"),
    path("<id:pk>/unduh/", views.document_download, name="document_download"),
    path("proses/<id:pk>/", views.job_status, name="job_status"),
]
