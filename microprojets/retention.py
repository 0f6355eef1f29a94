"""Retention of the microprojets' personal data.

- Drafts are deleted 3 months after their last change.
- Applications are anonymised in place (never deleted: their log and the statistics stay) once their final status
  is old enough: settings.MICROPROJETS_RETENTION_YEARS (5) after « Clôturé » or « Non réalisé » (money was paid: the
  accounts may be audited), settings.MICROPROJETS_SHORT_RETENTION_YEARS (1) after a refusal, an abandonment or a
  withdrawal, counted from the final status' date (status_changed_at). The personal data, the messages, the report's
  text, the comments of the log and every file go (files from disk once the transaction commits); the figures stay:
  amounts, dates, neighbourhood, pillar, porteur kind, numbers of people.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import workflow
from .models import AgendaItem, Application, Attachment, BudgetLine, Draft, Event, Report, StaffNote, StatusChange

DRAFT_RETENTION = timedelta(days=92)
SHORT = frozenset({workflow.Status.REJECTED, workflow.Status.ABANDONED, workflow.Status.WITHDRAWN})
LONG = workflow.FINAL - SHORT
ANONYMOUS_TITLE = "Dossier anonymisé"

# Every model pointing to Application is here: anonymise() clears or deletes it, or it holds no personal data.
# tests/microprojets/test_retention.py fails when a new one appears without being classified.
RELATED_HANDLED = {
    "microprojets.BudgetLine": "labels cleared, amounts kept",
    "microprojets.Attachment": "deleted, files removed from disk",
    "microprojets.Event": "messages cleared, messages without a status deleted",
    "microprojets.StatusChange": "comments cleared",
    "microprojets.Report": "text cleared, numbers kept",
    "microprojets.Payment": "no personal data (amount, date, payment order)",
    "microprojets.Reminder": "no personal data (kind, date)",
    "microprojets.StaffNote": "deleted (the service's private notes)",
    "microprojets.AgendaItem": "reason cleared, decision and amount kept (the committee's minutes stay counted)",
    "contrat_ville.Project": "the public project made from it, published by staff: not the applicant's data",
}
# The applicant's fields: emptied (the figures and the choices of lists stay).
CLEARED_FIELDS = {
    "organisation_name": "",
    "rna": "",
    "siret": "",
    "first_name": "",
    "last_name": "",
    "role": "",
    "email": "",
    "phone": "",
    "address": "",
    "summary": "",
    "description": "",
    "objectives": "",
    "audience": "",
    "place": "",
}


def add_years(moment, years: int):
    """The same day `years` later (or earlier); 29 February becomes 28 February."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


def due_q(now) -> Q:
    """Applications whose final status is older than its retention period at `now`."""
    short = add_years(now, -settings.MICROPROJETS_SHORT_RETENTION_YEARS)
    long = add_years(now, -settings.MICROPROJETS_RETENTION_YEARS)
    return Q(status__in=sorted(SHORT), status_changed_at__lte=short) | Q(
        status__in=sorted(LONG), status_changed_at__lte=long
    )


def deletion_date(application):
    """When this application's personal data goes (None while its status is not final)."""
    if application.status in SHORT:
        return add_years(application.status_changed_at, settings.MICROPROJETS_SHORT_RETENTION_YEARS)
    if application.status in LONG:
        return add_years(application.status_changed_at, settings.MICROPROJETS_RETENTION_YEARS)
    return None


def due_applications(now):
    return Application.objects.filter(due_q(now), anonymised_at__isnull=True).order_by("pk")


def anonymise(application_ids, now) -> int:
    """Anonymise these applications in the caller's transaction; their files leave the disk once it commits.

    Returns the number of files removed."""
    attachments = Attachment.objects.filter(application__in=application_ids)
    names = list(attachments.values_list("file", flat=True))
    attachments.delete()  # their report photos go with them (cascade)
    Event.objects.filter(application__in=application_ids, status="").delete()
    Event.objects.filter(application__in=application_ids).update(message="")
    StatusChange.objects.filter(application__in=application_ids).update(comment="")
    BudgetLine.objects.filter(application__in=application_ids).update(label="")
    Report.objects.filter(application__in=application_ids).update(what_happened="")
    StaffNote.objects.filter(application__in=application_ids).delete()
    AgendaItem.objects.filter(application__in=application_ids).update(reason="")
    for pk in application_ids:
        # A new tracking token: the old private link no longer opens anything.
        Application.objects.filter(pk=pk).update(
            **CLEARED_FIELDS, title=ANONYMOUS_TITLE, tracking_token=secrets.token_urlsafe(24), anonymised_at=now
        )
    storage = Attachment._meta.get_field("file").storage

    def delete_files():
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete_files)
    return len(names)


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
    due = list(due_applications(now).values_list("pk", "reference"))
    ids = [pk for pk, _reference in due]
    references = ", ".join(reference for _pk, reference in due[:20]) + (" …" if len(due) > 20 else "")
    if dry_run:
        files = Attachment.objects.filter(application__in=ids).count()
    else:
        files = anonymise(ids, now or timezone.now())
    label = "dossiers de microprojets anonymisés (chiffres conservés)"
    return [
        ("brouillons de microprojets (et leurs fichiers)", count),
        (f"{label} : {references}" if due else label, len(due)),
        ("fichiers de ces dossiers", files),
    ]
