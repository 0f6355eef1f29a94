from django.core.management.base import BaseCommand

from microprojets.models import Reminder
from microprojets.services.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Envoie les rappels des microprojets (bilan attendu, complément attendu, brouillon perdu à la clôture, "
        "données bientôt supprimées), une seule fois par occasion : le relancer n’envoie rien de plus "
        "(cron quotidien)."
    )

    def handle(self, *args, **options):
        sent = send_reminders()
        for kind, label in Reminder.Kind.choices:
            self.stdout.write(f"{label} : {sent.counts[kind]} rappel(s) mis dans la file d’envoi")
        self.stdout.write(f"{sent.total} rappel(s) en tout.")
