from django.urls import path

from meetings import views

urlpatterns = [
    path("<id:cycle_pk>/", views.meeting_detail, name="meeting_detail"),
    path("<id:cycle_pk>/jadwal/", views.meeting_schedule, name="meeting_schedule"),
    path("<id:cycle_pk>/peralatan/", views.meeting_equipment, name="meeting_equipment"),
    path("<id:cycle_pk>/undangan/", views.meeting_invitation, name="meeting_invitation"),
    path("<id:cycle_pk>/peserta/", views.meeting_attendee_add, name="meeting_attendee_add"),
    path(
        "<id:cycle_pk>/peserta/<id:attendee_pk>/hadir/",
        views.meeting_check_in,
        name="meeting_check_in",
    ),
    path("<id:cycle_pk>/saya-hadir/", views.meeting_check_in_self, name="meeting_check_in_self"),
    path("<id:cycle_pk>/mulai/", views.meeting_start, name="meeting_start"),
    path("<id:cycle_pk>/notulen/", views.meeting_minutes, name="meeting_minutes"),
    path(
        "<id:cycle_pk>/notulen/simpan-otomatis/",
        views.meeting_minutes_autosave,
        name="meeting_minutes_autosave",
    ),
    path(
        "<id:cycle_pk>/daftar-hadir.pdf",
        views.meeting_attendance_pdf,
        name="meeting_attendance_pdf",
    ),
    path("<id:cycle_pk>/notulen.pdf", views.meeting_minutes_pdf, name="meeting_minutes_pdf"),
]
