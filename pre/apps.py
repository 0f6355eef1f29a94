from django.apps import AppConfig


class PreConfig(AppConfig):
    name = "pre"
    verbose_name = "Réussite éducative"
