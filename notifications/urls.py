from django.urls import path

from notifications import views

urlpatterns = [
    path("kotak-masuk/dibaca/", views.notifications_read, name="notifications_read"),
]
