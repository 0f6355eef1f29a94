from django.urls import path

from .views import public as views
from .views import report as report_views

app_name = "microprojets"

urlpatterns = [
    path("", views.index, name="index"),
    path("eligibilite/", views.eligibility_check, name="eligibility"),
    path("chiffres/", views.figures, name="figures"),
    path("subventions.csv", views.grants_csv, name="grants_csv"),
    path("deposer/", views.apply, name="apply"),
    path("deposer/<str:token>/", views.apply, name="resume"),
    path("deposer/<str:token>/brouillon-enregistre/", views.draft_saved, name="draft_saved"),
    path("deposer/<str:token>/recapitulatif/", views.recap, name="recap"),
    path("dossier/<str:token>/accuse-de-reception/", views.receipt, name="receipt"),
    path("suivi/", views.resend_link, name="resend_link"),
    path("suivi/<str:token>/", views.tracking, name="tracking"),
    path("suivi/<str:token>/complement/", views.complement, name="complement"),
    path("suivi/<str:token>/dossier/", views.dossier, name="dossier"),
    path("suivi/<str:token>/retirer/", views.withdraw, name="withdraw"),
    path("suivi/<str:token>/bilan/", report_views.send_report, name="report"),
]
