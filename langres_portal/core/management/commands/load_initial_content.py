import tomllib
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Charge le contenu initial du site (textes, service, quartiers, piliers, PRE…). "
        "Ne crée que ce qui manque : les modifications faites dans l’administration sont conservées."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(settings.INITIAL_CONTENT_FILE), help="Fichier TOML du contenu.")

    def handle(self, *args, file, **options):
        try:
            with open(file, "rb") as fh:
                data = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise CommandError(f"Impossible de lire le contenu initial {file} : {exc}") from exc
        created = 0
        with transaction.atomic():
            # Each app loads its own part, in INSTALLED_APPS order (quartiers before what links to them).
            for config in apps.get_app_configs():
                if find_spec(f"{config.name}.content") is not None:
                    created += import_module(f"{config.name}.content").load(data) or 0
        self.stdout.write(f"Contenu initial : {created} élément(s) créé(s), le reste était déjà en place.")
