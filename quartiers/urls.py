from django.urls import path

from . import views

app_name = "quartiers"

urlpatterns = [
    path("", views.index, name="index"),
    path("mon-adresse/", views.address_lookup, name="address_lookup"),
    path("perimetres.geojson", views.perimeters_geojson, name="perimeters_geojson"),
    path("<slug:slug>.geojson", views.quartier_geojson, name="geojson"),
    path("<slug:slug>/", views.detail, name="detail"),
]
