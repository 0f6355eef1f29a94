from django.urls import path

from . import views

app_name = "contrat_ville"

urlpatterns = [
    path("", views.index, name="index"),
    path("piliers/<slug:slug>/", views.pillar_detail, name="pillar"),
    path("projets/", views.project_list, name="projects"),
    path("projets/flux/", views.ProjectFeed(), name="feed"),
    path("projets.csv", views.projects_csv, name="projects_csv"),
    path("projets.json", views.projects_json, name="projects_json"),
    path("projets/<slug:slug>/", views.project_detail, name="project"),
    path("chiffres/", views.figures, name="figures"),
    path("carte/", views.funded_map, name="map"),
]
