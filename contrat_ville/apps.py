from django.apps import AppConfig


class ContratVilleConfig(AppConfig):
    name = "contrat_ville"
    verbose_name = "Contrat de ville"

    def ready(self):
        from . import signals  # noqa: F401
