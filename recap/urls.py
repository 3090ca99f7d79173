from django.urls import path

from recap import views

urlpatterns = [
    path("<int:pk>/", views.recap_matrix, name="recap"),
    path("<int:pk>/xlsx/", views.recap_xlsx, name="recap_xlsx"),
]
