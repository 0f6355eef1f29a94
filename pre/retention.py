"""Retention of the requests to be called back: deleted PRE_REQUEST_RETENTION_DAYS days after they are handled."""

from django.conf import settings

from .models import ContactRequest


def purge(now, dry_run: bool) -> list[tuple[str, int]]:
    expired = ContactRequest.objects.expired(now, settings.PRE_REQUEST_RETENTION_DAYS)
    count = expired.count()
    if not dry_run:
        expired.delete()
    return [("demandes de contact du PRE traitées", count)]
