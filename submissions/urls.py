from django.urls import path

from submissions import views

ANSWER = "<id:cycle_pk>/opd/<id:agency_pk>/indikator/<id:node_pk>/"

urlpatterns = [
    path("<id:cycle_pk>/", views.review_list, name="review_list"),
    path("<id:cycle_pk>/tutup/", views.collection_close, name="collection_close"),
    path("<id:cycle_pk>/opd/<id:agency_pk>/", views.portal, name="portal"),
    path(
        "<id:cycle_pk>/opd/<id:agency_pk>/ajukan/",
        views.portal_submit_all,
        name="portal_submit_all",
    ),
    path(
        "<id:cycle_pk>/opd/<id:agency_pk>/buka-kembali/",
        views.agency_reopen,
        name="agency_reopen",
    ),
    path(ANSWER, views.submission_edit, name="submission_edit"),
    path(f"{ANSWER}simpan/", views.submission_autosave, name="submission_autosave"),
    path(f"{ANSWER}ajukan/", views.submission_submit, name="submission_submit"),
    path("<id:cycle_pk>/indikator/<id:node_pk>/", views.review_indicator, name="review_indicator"),
    path("jawaban/<id:pk>/kembalikan/", views.submission_return, name="submission_return"),
    path("jawaban/<id:pk>/terima/", views.submission_accept, name="submission_accept"),
]
