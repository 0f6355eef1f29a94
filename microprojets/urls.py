from django.urls import path

from . import views

app_name = "microprojets"

urlpatterns = [
    path("", views.index, name="index"),
]
