import tomllib
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from langres_portal.core.history import record_baselines


def read_content(folder: Path) -> dict:
    """Merge the folder's TOML files: lists ([[pages]] …) are concatenated, tables are merged."""
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise CommandError(f"Impossible de lire le contenu initial : aucun fichier .toml dans {folder}")
    data = {}
    for path in files:
        try:
            with open(path, "rb") as fh:
                part = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise CommandError(f"Impossible de lire le contenu initial {path} : {exc}") from exc
        for key, value in part.items():
            if isinstance(value, list):
                data.setdefault(key, []).extend(value)
            elif isinstance(value, dict):
                data.setdefault(key, {}).update(value)
            else:
                data[key] = value
    return data


class Command(BaseCommand):
    help = (
        "Charge le contenu initial du site (textes, service, quartiers, piliers, PRE…). "
        "Ne crée que ce qui manque : les modifications faites dans l’administration sont conservées."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", default=str(settings.INITIAL_CONTENT_DIR), help="Dossier des fichiers TOML du contenu."
        )

    def handle(self, *args, dir, **options):
        data = read_content(Path(dir))
        created = 0
        with transaction.atomic():
            # Each app loads its own part, in INSTALLED_APPS order (quartiers before what links to them).
            for config in apps.get_app_configs():
                if find_spec(f"{config.name}.content") is not None:
                    created += import_module(f"{config.name}.content").load(data) or 0
            baselines = record_baselines()
        self.stdout.write(f"Contenu initial : {created} élément(s) créé(s), le reste était déjà en place.")
        if baselines:
            self.stdout.write(f"Historique : {baselines} version(s) de départ enregistrée(s).")
