from django.urls import path

from . import views

urlpatterns = [
    path("", views.framework_list, name="framework_list"),
    path("muat/", views.framework_load, name="framework_load"),
    path("<str:code>/<str:version>/", views.framework_detail, name="framework_detail"),
    path(
        "<str:code>/<str:version>/indikator/<str:node_code>/",
        views.indicator_detail,
        name="indicator_detail",
    ),
]
