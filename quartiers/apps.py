from django.apps import AppConfig


class QuartiersConfig(AppConfig):
    name = "quartiers"
    verbose_name = "Quartiers"
