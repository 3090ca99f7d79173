from django.urls import path

from documents import views

urlpatterns = [
    path("templat/surat/", views.letter_template, name="letter_template"),
    path(
        "templat/surat/bawaan.docx", views.default_letter_template, name="default_letter_template"
    ),
]
