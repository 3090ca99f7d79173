from django.urls import path

from meetings import views

urlpatterns = [
    path("<int:cycle_pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:cycle_pk>/jadwal/", views.meeting_schedule, name="meeting_schedule"),
    path("<int:cycle_pk>/peralatan/", views.meeting_equipment, name="meeting_equipment"),
    path("<int:cycle_pk>/undangan/", views.meeting_invitation, name="meeting_invitation"),
    path("<int:cycle_pk>/peserta/", views.meeting_attendee_add, name="meeting_attendee_add"),
    path(
        "<int:cycle_pk>/peserta/<int:attendee_pk>/hadir/",
        views.meeting_check_in,
        name="meeting_check_in",
    ),
    path("<int:cycle_pk>/saya-hadir/", views.meeting_check_in_self, name="meeting_check_in_self"),
    path("<int:cycle_pk>/mulai/", views.meeting_start, name="meeting_start"),
    path("<int:cycle_pk>/notulen/", views.meeting_minutes, name="meeting_minutes"),
    path(
        "<int:cycle_pk>/notulen/simpan-otomatis/",
        views.meeting_minutes_autosave,
        name="meeting_minutes_autosave",
    ),
    path(
        "<int:cycle_pk>/daftar-hadir.pdf",
        views.meeting_attendance_pdf,
        name="meeting_attendance_pdf",
    ),
    path("<int:cycle_pk>/notulen.pdf", views.meeting_minutes_pdf, name="meeting_minutes_pdf"),
]
