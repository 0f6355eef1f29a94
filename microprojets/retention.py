"""Retention of the microprojets' personal data: drafts are deleted 3 months after their last change."""

from datetime import timedelta

from django.db import transaction

from .models import Attachment, Draft

DRAFT_RETENTION = timedelta(days=92)


def purge(now, dry_run: bool) -> list[tuple[str, int]]:
    expired = Draft.objects.filter(updated_at__lt=now - DRAFT_RETENTION)
    count = expired.count()
    if not dry_run:
        names = list(Attachment.objects.filter(draft__in=expired).values_list("file", flat=True))
        expired.delete()
        storage = Attachment._meta.get_field("file").storage

        def delete_files():
            for name in names:
                storage.delete(name)

        transaction.on_commit(delete_files)
    return [("brouillons de microprojets (et leurs fichiers)", count)]
