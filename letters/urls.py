from django.urls import path

from letters import views

urlpatterns = [
    path("<id:pk>/", views.letter_detail, name="letter_detail"),
    path("<id:pk>/ubah/", views.letter_edit, name="letter_edit"),
    path("<id:pk>/ajukan/", views.letter_submit, name="letter_submit"),
    path("<id:pk>/disposisi/", views.letter_dispose, name="letter_dispose"),
    path("<id:pk>/nomor/", views.letter_number, name="letter_number"),
    path("<id:pk>/tanda-tangan/", views.letter_sign, name="letter_sign"),
    path("<id:pk>/kirim/", views.letter_dispatch, name="letter_dispatch"),
    path("<id:pk>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("<id:pk>/docx/", views.letter_docx, name="letter_docx"),
    path("<id:pk>/bertanda-tangan/", views.letter_signed_file, name="letter_signed_file"),
    path("periode/<id:pk>/buat/", views.cycle_letters_draft, name="cycle_letters_draft"),
    path("periode/<id:pk>/surat-edaran/", views.cycle_circular_draft, name="cycle_circular_draft"),
    path("unit-penerbit/", views.issuing_unit_list, name="issuing_unit_list"),
    path("unit-penerbit/tambah/", views.issuing_unit_add, name="issuing_unit_add"),
    path("unit-penerbit/<id:pk>/", views.issuing_unit_edit, name="issuing_unit_edit"),
]
