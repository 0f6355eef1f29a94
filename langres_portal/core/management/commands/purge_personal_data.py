from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone


class Command(BaseCommand):
    help = "Supprime les données personnelles arrivées au terme de leur durée de conservation (cron quotidien)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Affiche ce qui serait supprimé sans supprimer.")

    def handle(self, *args, dry_run, **options):
        now = timezone.now()
        verb = "à supprimer" if dry_run else "supprimé(s)"
        with transaction.atomic():
            # Each app knows its own retention rules, in a module `retention` with purge(now, dry_run).
            for config in apps.get_app_configs():
                if find_spec(f"{config.name}.retention") is not None:
                    for label, count in import_module(f"{config.name}.retention").purge(now, dry_run):
                        self.stdout.write(f"{label} : {count} {verb}")
        if dry_run:
            self.stdout.write("Simulation : rien n’a été supprimé.")
