from django.urls import path

from recap import views

urlpatterns = [
    path("<id:pk>/", views.recap_matrix, name="recap"),
    path("<id:pk>/xlsx/", views.recap_xlsx, name="recap_xlsx"),
]
