from django.urls import path

from . import views

app_name = "pre"

urlpatterns = [
    path("", views.index, name="index"),
    path("contact/", views.contact, name="contact"),
    path("contact/envoyee/", views.contact_done, name="contact_done"),
    path("coordonnees.vcf", views.vcard, name="vcard"),
]
