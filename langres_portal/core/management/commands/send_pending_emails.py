from django.core.management.base import BaseCommand

from langres_portal.core.emails import send_pending_emails


class Command(BaseCommand):
    help = "Envoie les courriels en attente dans la file d’envoi (à lancer toutes les 5 minutes par cron)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=100, help="Nombre maximum de courriels par passage.")

    def handle(self, *args, limit, **options):
        sent, failed = send_pending_emails(limit=limit)
        self.stdout.write(f"{sent} courriel(s) envoyé(s), {failed} en échec (nouvel essai plus tard).")
