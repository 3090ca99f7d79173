from django.urls import path

from submissions import views

ANSWER = "<int:cycle_pk>/opd/<int:agency_pk>/indikator/<int:node_pk>/"

urlpatterns = [
    path("<int:cycle_pk>/", views.review_list, name="review_list"),
    path("<int:cycle_pk>/tutup/", views.collection_close, name="collection_close"),
    path("<int:cycle_pk>/opd/<int:agency_pk>/", views.portal, name="portal"),
    path(
        "<int:cycle_pk>/opd/<int:agency_pk>/ajukan/",
        views.portal_submit_all,
        name="portal_submit_all",
    ),
    path(
        "<int:cycle_pk>/opd/<int:agency_pk>/buka-kembali/",
        views.agency_reopen,
        name="agency_reopen",
    ),
    path(ANSWER, views.submission_edit, name="submission_edit"),
    path(f"{ANSWER}simpan/", views.submission_autosave, name="submission_autosave"),
    path(f"{ANSWER}ajukan/", views.submission_submit, name="submission_submit"),
    path(
        "<int:cycle_pk>/indikator/<int:node_pk>/", views.review_indicator, name="review_indicator"
    ),
    path("jawaban/<int:pk>/kembalikan/", views.submission_return, name="submission_return"),
    path("jawaban/<int:pk>/terima/", views.submission_accept, name="submission_accept"),
]
