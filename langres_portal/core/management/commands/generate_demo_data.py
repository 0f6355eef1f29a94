from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Crée des données d’exemple (projets, appels, dossiers), marquées « exemple » sur le site. "
        "À ne jamais lancer en production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=22, help="Nombre de projets d’exemple (défaut 22).")
        parser.add_argument("--applications", type=int, default=12, help="Nombre de dossiers d’exemple (défaut 12).")
        parser.add_argument("--seed", type=int, default=2017, help="Graine du hasard, pour des données stables.")

    def handle(self, *args, **options):
        lines = []
        with transaction.atomic():
            for config in apps.get_app_configs():
                if find_spec(f"{config.name}.demo") is not None:
                    lines.append(import_module(f"{config.name}.demo").generate(**options))
        for line in filter(None, lines):
            self.stdout.write(line)
        self.stdout.write("Données d’exemple en place.")
