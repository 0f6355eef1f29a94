"""Reminders (manage.py send_reminders, daily): each one is recorded (Reminder) and queued in the outbox in the same
transaction, once per occasion; the unique constraints make a second run, or two at once, send nothing more.

- the report: due one month after the project's end date, then every two weeks, three reminders at most;
- a complement asked 15 days ago and still missing, then 15 days later: twice at most per request;
- a draft with an e-mail address, 3 days before its call closes (it cannot be sent afterwards): once;
- the personal data of an application deleted in two weeks (retention.py): once.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from langres_portal.core.emails import queue_email

from .. import retention, workflow
from ..models import Application, Draft, Reminder, StatusChange
from .moves import site_url

logger = logging.getLogger(__name__)

REPORT_FIRST_DELAY_MONTHS = 1
REPORT_INTERVAL = timedelta(weeks=2)
REPORT_MAX = 3
COMPLEMENT_INTERVAL = timedelta(days=15)
COMPLEMENT_MAX = 2
DRAFT_NOTICE = timedelta(days=3)
DELETION_NOTICE = timedelta(weeks=2)


@dataclass
class Sent:
    counts: dict = field(default_factory=lambda: {kind: 0 for kind in Reminder.Kind.values})

    @property
    def total(self):
        return sum(self.counts.values())


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def occasion_due(first: date, interval: timedelta, maximum: int, today: date) -> int:
    """How many occasions have come by `today` (0 before the first), at most `maximum`."""
    if today < first:
        return 0
    return min(maximum, 1 + (today - first) // interval)


def record_and_queue(*, kind, occasion, subject="", application=None, draft=None, key, to, context) -> bool:
    """Record the occasion and queue its e-mail together; False when it was already sent."""
    try:
        with transaction.atomic():
            Reminder.objects.create(
                kind=kind, occasion=occasion, subject=subject, application=application, draft=draft
            )
            queue_email(key=key, to=to, context=context)
    except IntegrityError:
        return False  # this occasion was recorded already (an earlier run, or one running at the same time)
    return True


def tracking_url(application):
    return site_url(None, application.get_tracking_url())


def send_report_reminders(today: date, sent: Sent) -> None:
    # Still « Versé »: the report has not come (or staff asked for more and it has not come back).
    for application in Application.objects.filter(status=workflow.Status.PAID, anonymised_at__isnull=True):
        first = add_months(application.ends_on, REPORT_FIRST_DELAY_MONTHS)
        occasion = occasion_due(first, REPORT_INTERVAL, REPORT_MAX, today)
        if occasion and record_and_queue(
            kind=Reminder.Kind.REPORT_DUE,
            occasion=occasion,
            application=application,
            key="microprojets-rappel-bilan",
            to=[application.email],
            context={
                "reference": application.reference,
                "title": application.title,
                "ends_on": application.ends_on,
                "occasion": occasion,
                "tracking_url": tracking_url(application),
            },
        ):
            sent.counts[Reminder.Kind.REPORT_DUE] += 1


def send_complement_reminders(today: date, sent: Sent) -> None:
    last_request = StatusChange.objects.filter(
        application=OuterRef("pk"), to_status=workflow.Status.INCOMPLETE
    ).order_by("-created_at", "-pk")
    applications = Application.objects.filter(status=workflow.Status.INCOMPLETE, anonymised_at__isnull=True).annotate(
        request_pk=Subquery(last_request.values("pk")[:1])
    )
    requests = StatusChange.objects.in_bulk([a.request_pk for a in applications if a.request_pk])
    for application in applications:
        request = requests.get(application.request_pk)
        if request is None:
            continue
        asked_on = timezone.localdate(request.created_at)
        occasion = occasion_due(asked_on + COMPLEMENT_INTERVAL, COMPLEMENT_INTERVAL, COMPLEMENT_MAX, today)
        if occasion and record_and_queue(
            kind=Reminder.Kind.COMPLEMENT,
            occasion=occasion,
            subject=f"demande-{request.pk}",  # each request of a complement has its own two reminders
            application=application,
            key="microprojets-rappel-complement",
            to=[application.email],
            context={
                "reference": application.reference,
                "title": application.title,
                "asked_on": asked_on,
                "request": request.comment,
                "occasion": occasion,
                "tracking_url": tracking_url(application),
            },
        ):
            sent.counts[Reminder.Kind.COMPLEMENT] += 1


def send_draft_reminders(now, sent: Sent) -> None:
    drafts = Draft.objects.select_related("call").filter(
        call__closes_at__gt=now, call__closes_at__lte=now + DRAFT_NOTICE, call__opens_at__lte=now
    )
    for draft in drafts.exclude(email=""):
        if record_and_queue(
            kind=Reminder.Kind.DRAFT_EXPIRING,
            occasion=1,
            draft=draft,
            key="microprojets-rappel-brouillon",
            to=[draft.email],
            context={
                "resume_url": site_url(None, reverse("microprojets:resume", args=[draft.token])),
                "call": draft.call.title,
                "closes_at": timezone.localtime(draft.call.closes_at),
            },
        ):
            sent.counts[Reminder.Kind.DRAFT_EXPIRING] += 1


def send_deletion_reminders(now, sent: Sent) -> None:
    soon = Application.objects.filter(retention.due_q(now + DELETION_NOTICE), anonymised_at__isnull=True)
    for application in soon.exclude(retention.due_q(now)).exclude(email=""):
        if record_and_queue(
            kind=Reminder.Kind.DATA_DELETION,
            occasion=1,
            application=application,
            key="microprojets-rappel-suppression",
            to=[application.email],
            context={
                "reference": application.reference,
                "title": application.title,
                "deleted_on": timezone.localdate(retention.deletion_date(application)),
                "tracking_url": tracking_url(application),
            },
        ):
            sent.counts[Reminder.Kind.DATA_DELETION] += 1


def send_reminders(now=None) -> Sent:
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = Sent()
    send_report_reminders(today, sent)
    send_complement_reminders(today, sent)
    send_draft_reminders(now, sent)
    send_deletion_reminders(now, sent)
    return sent
