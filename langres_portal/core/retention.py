"""Retention of the outbox: sent e-mails may carry personal data, so they are deleted after a while."""

from datetime import timedelta

from django.conf import settings

from .models import OutboxEmail


def purge(now, dry_run: bool) -> list[tuple[str, int]]:
    expired = OutboxEmail.objects.filter(sent_at__lt=now - timedelta(days=settings.OUTBOX_RETENTION_DAYS))
    count = expired.count()
    if not dry_run:
        expired.delete()
    return [("courriels envoyés", count)]
