from django.urls import path

from reports import views

urlpatterns = [
    path("<id:cycle_pk>/", views.report_list, name="report_list"),
    path("<id:cycle_pk>/siapkan/", views.report_prepare, name="report_prepare"),
    path("<id:cycle_pk>/ringkasan/", views.executive_brief, name="executive_brief"),
    path("<id:cycle_pk>/ringkasan/pdf/", views.executive_brief_pdf, name="executive_brief_pdf"),
    path("dokumen/<id:pk>/", views.report_detail, name="report_detail"),
    path("dokumen/<id:pk>/ubah/", views.report_edit, name="report_edit"),
    path("dokumen/<id:pk>/nomor/", views.report_number, name="report_number"),
    path("dokumen/<id:pk>/ajukan/", views.report_route, name="report_route"),
    path("dokumen/<id:pk>/setujui/", views.report_approve, name="report_approve"),
    path("dokumen/<id:pk>/unggah/", views.report_upload, name="report_upload"),
    path("dokumen/<id:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("dokumen/<id:pk>/docx/", views.report_docx, name="report_docx"),
    path(
        "dokumen/<id:pk>/bertanda-tangan/",
        views.report_signed_file,
        name="report_signed_file",
    ),
    path("<id:cycle_pk>/dokumen-evaluasi/", views.evaluation_page, name="evaluation"),
    path(
        "<id:cycle_pk>/dokumen-evaluasi/buat/",
        views.evaluation_generate,
        name="evaluation_generate",
    ),
    path(
        "<id:cycle_pk>/dokumen-evaluasi/penanda-tangan/",
        views.evaluation_approval_edit,
        name="evaluation_approval_edit",
    ),
    path(
        "<id:cycle_pk>/dokumen-evaluasi/setujui/",
        views.evaluation_approve,
        name="evaluation_approve",
    ),
    path(
        "<id:cycle_pk>/dokumen-evaluasi/unggah/",
        views.evaluation_upload,
        name="evaluation_upload",
    ),
    path(
        "<id:cycle_pk>/dokumen-evaluasi/unduh.<str:format>",
        views.evaluation_download,
        name="evaluation_download",
    ),
    path(
        "<id:cycle_pk>/dokumen-evaluasi/bertanda-tangan/",
        views.evaluation_signed_file,
        name="evaluation_signed_file",
    ),
    path(
        "<id:cycle_pk>/dokumen-evaluasi/paket-data-dukung/",
        views.evaluation_package,
        name="evaluation_package",
    ),
]
