from django.urls import path

from institutions import views

urlpatterns = [
    path("", views.home, name="home"),
    path("opd/", views.agency_list, name="agency_list"),
    path("opd/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("pengguna/", views.people, name="people"),
    path("impor/<slug:kind>/", views.import_rows, name="import_rows"),
]
