from django.urls import path

from assessments import views

urlpatterns = [
    path("<id:cycle_pk>/", views.assessment_result, name="assessment_result"),
    path("<id:cycle_pk>/final/", views.assessment_finalize, name="assessment_finalize"),
    path("<id:cycle_pk>/buka-kembali/", views.assessment_reopen, name="assessment_reopen"),
    path("<id:cycle_pk>/indikator/<id:node_pk>/", views.decision_edit, name="decision_edit"),
    path("<id:cycle_pk>/nasional/", views.national_result, name="national_result"),
    path("<id:cycle_pk>/rekonsiliasi/", views.reconciliation, name="reconciliation"),
    path("<id:cycle_pk>/rapat/", views.meeting_mode, name="meeting_mode"),
    path("<id:cycle_pk>/rapat/<id:node_pk>/", views.meeting_indicator, name="meeting_indicator"),
    path(
        "<id:cycle_pk>/rapat/<id:node_pk>/simpan/",
        views.meeting_decision,
        name="meeting_decision",
    ),
    path("<id:cycle_pk>/tahunan/", views.year_over_year, name="year_over_year"),
    path(
        "<id:cycle_pk>/formulir.<str:fmt>",
        views.official_form_download,
        name="official_form_download",
    ),
]
