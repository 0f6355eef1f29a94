from django.apps import AppConfig


class MicroprojetsConfig(AppConfig):
    name = "microprojets"
    verbose_name = "Microprojets"
