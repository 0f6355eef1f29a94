from django.urls import path

from . import views

app_name = "pre"

urlpatterns = [
    path("", views.index, name="index"),
]
