import datetime
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from quartiers.geo import StreamError, iter_features, normalize_perimeter
from quartiers.models import Quartier

CODE_PROPERTIES = ("code_qp", "code_qpv", "CODE_QP")


class Command(BaseCommand):
    help = (
        "Importe le périmètre officiel d’un quartier prioritaire depuis le fichier GeoJSON national des QPV "
        "publié par l’ANCT (FeatureCollection dont chaque objet porte code_qp). Le fichier est lu objet par "
        "objet, sans être chargé en entier. Exemple : import_qpv_perimeter qp2024.geojson --code <code QPV>"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Chemin du fichier GeoJSON de l’ANCT.")
        parser.add_argument(
            "--code", required=True, help="Code QPV du quartier, tel qu’enregistré sur sa fiche (QN… depuis 2024)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Vérifie le fichier sans rien enregistrer.")

    def handle(self, *args, file, code, dry_run, **options):
        code = code.strip().upper()
        path = Path(file)
        quartier = Quartier.objects.filter(code_qpv__iexact=code).first()
        if quartier is None:
            raise CommandError(
                f"Aucun quartier n’a le code QPV {code} : renseignez ce code sur le quartier dans l’administration."
            )
        feature = self.find(path, code)
        try:
            perimeter = normalize_perimeter(json.dumps(feature.get("geometry")))
        except ValidationError as exc:
            raise CommandError(
                f"Le périmètre de {code} dans {path.name} est refusé : {' '.join(exc.messages)}"
            ) from exc
        day = datetime.date.fromtimestamp(path.stat().st_mtime)
        source = f"Fichier {path.name} de l’ANCT, daté du {day:%d/%m/%Y}"
        if dry_run:
            self.stdout.write(f"Simulation : le périmètre de {code} serait attribué à {quartier.name} ({source}).")
            return
        with transaction.atomic():
            quartier.perimeter = perimeter
            quartier.perimeter_source = source
            quartier.perimeter_is_example = False
            quartier.save(update_fields=["perimeter", "perimeter_source", "perimeter_is_example", "updated_at"])
        self.stdout.write(f"Périmètre officiel de {code} importé pour {quartier.name} ({source}).")

    def find(self, path, code):
        try:
            with path.open("rb") as fh:
                for feature in iter_features(fh):
                    properties = feature.get("properties") or {}
                    if any(str(properties.get(key, "")).upper() == code for key in CODE_PROPERTIES):
                        return feature
        except OSError as exc:
            raise CommandError(f"Impossible de lire {path} : {exc.strerror}") from exc
        except StreamError as exc:
            raise CommandError(f"{path.name} n’est pas un fichier GeoJSON lisible : {exc}") from exc
        raise CommandError(f"Le code {code} ne figure pas dans {path.name} (propriété code_qp).")
