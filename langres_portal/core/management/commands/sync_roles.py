from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from langres_portal.core import roles


class Command(BaseCommand):
    help = (
        "Donne à chaque rôle (groupe « Rédaction », « Instructeur microprojets », « Coordination PRE ») exactement "
        "les permissions de la table core.roles.ROLE_PERMISSIONS. À lancer après l’ajout d’un modèle ; sans effet "
        "si tout est à jour."
    )

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                roles.create_all_permissions(apps)
                changes = roles.sync_roles(apps)
        except LookupError as error:
            raise CommandError(str(error)) from error
        for role, (added, removed) in changes.items():
            if added or removed:
                self.stdout.write(f"« {role} » : {added} permission(s) ajoutée(s), {removed} retirée(s).")
            else:
                self.stdout.write(f"« {role} » : à jour.")
