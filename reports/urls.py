from django.urls import path

from reports import views

urlpatterns = [
    path("<int:cycle_pk>/", views.report_list, name="report_list"),
    path("<int:cycle_pk>/siapkan/", views.report_prepare, name="report_prepare"),
    path("<int:cycle_pk>/ringkasan/", views.executive_brief, name="executive_brief"),
    path("<int:cycle_pk>/ringkasan/pdf/", views.executive_brief_pdf, name="executive_brief_pdf"),
    path("dokumen/<int:pk>/", views.report_detail, name="report_detail"),
    path("dokumen/<int:pk>/ubah/", views.report_edit, name="report_edit"),
    path("dokumen/<int:pk>/nomor/", views.report_number, name="report_number"),
    path("dokumen/<int:pk>/ajukan/", views.report_route, name="report_route"),
    path("dokumen/<int:pk>/setujui/", views.report_approve, name="report_approve"),
    path("dokumen/<int:pk>/unggah/", views.report_upload, name="report_upload"),
    path("dokumen/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("dokumen/<int:pk>/docx/", views.report_docx, name="report_docx"),
    path(
        "dokumen/<int:pk>/bertanda-tangan/",
        views.report_signed_file,
        name="report_signed_file",
    ),
    path("<int:cycle_pk>/dokumen-evaluasi/", views.evaluation_page, name="evaluation"),
    path(
        "<int:cycle_pk>/dokumen-evaluasi/buat/",
        views.evaluation_generate,
        name="evaluation_generate",
    ),
    path(
        "<int:cycle_pk>/dokumen-evaluasi/penanda-tangan/",
        views.evaluation_approval_edit,
        name="evaluation_approval_edit",
    ),
    path(
        "<int:cycle_pk>/dokumen-evaluasi/setujui/",
        views.evaluation_approve,
        name="evaluation_approve",
    ),
    path(
        "<int:cycle_pk>/dokumen-evaluasi/unggah/",
        views.evaluation_upload,
        name="evaluation_upload",
    ),
    path(
        "<int:cycle_pk>/dokumen-evaluasi/unduh.<str:format>",
        views.evaluation_download,
        name="evaluation_download",
    ),
    path(
        "<int:cycle_pk>/dokumen-evaluasi/bertanda-tangan/",
        views.evaluation_signed_file,
        name="evaluation_signed_file",
    ),
    path(
        "<int:cycle_pk>/dokumen-evaluasi/paket-data-dukung/",
        views.evaluation_package,
        name="evaluation_package",
    ),
]
