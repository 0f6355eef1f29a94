import logging

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from microprojets import antivirus
from microprojets.models import Attachment

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Analyse par l’antivirus (ClamAV) les pièces jointes encore « en attente d’analyse » "
        "(à lancer toutes les 5 minutes par cron). Un fichier infecté est mis en quarantaine."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=200, help="Nombre maximum de fichiers par passage.")

    def handle(self, *args, limit, **options):
        clean = infected = waiting = 0
        pending = Attachment.objects.filter(scan_status=Attachment.ScanStatus.PENDING).order_by("pk")[:limit]
        for pk in list(pending.values_list("pk", flat=True)):
            with transaction.atomic():
                attachment = Attachment.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
                if attachment is None or attachment.scan_status != Attachment.ScanStatus.PENDING:
                    continue
                try:
                    with attachment.file.open("rb") as fh:
                        is_clean, answer = antivirus.scan_bytes(fh.read())
                except antivirus.ScanUnavailable as exc:
                    waiting += 1
                    logger.warning("Antivirus indisponible pour la pièce %s : %s", pk, exc)
                    continue
                attachment.scan_status = Attachment.ScanStatus.CLEAN if is_clean else Attachment.ScanStatus.INFECTED
                attachment.scan_result, attachment.scanned_at = answer[:200], timezone.now()
                attachment.save(update_fields=["scan_status", "scan_result", "scanned_at"])
                if is_clean:
                    clean += 1
                else:
                    infected += 1
                    logger.error("Pièce jointe %s infectée (%s) : mise en quarantaine", pk, answer)
        self.stdout.write(f"{clean} fichier(s) sain(s), {infected} infecté(s), {waiting} toujours en attente.")
