from django.urls import path

from notifications import views

urlpatterns = [
    path("pemberitahuan/", views.notification_list, name="notification_list"),
    path("pemberitahuan/<id:pk>/buka/", views.notification_open, name="notification_open"),
    path("pemberitahuan/dibaca/", views.notifications_read, name="notifications_read"),
]
