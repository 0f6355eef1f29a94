from django.urls import path

from . import views

app_name = "quartiers"

urlpatterns = [
    path("", views.index, name="index"),
]
