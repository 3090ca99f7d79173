from django.urls import path

from sops import views

urlpatterns = [
    path("", views.sop_current, name="sop_current"),
    path("<id:pk>/", views.sop_detail, name="sop_detail"),
    path("muat/", views.sop_load, name="sop_load"),
]
