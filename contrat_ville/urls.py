from django.urls import path

from . import views

app_name = "contrat_ville"

urlpatterns = [
    path("", views.index, name="index"),
]
