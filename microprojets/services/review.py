"""The instruction of one application besides its moves: who instructs it, the messages between the service and
the applicant, the service's private notes, one message to every applicant of a call, and the applicant's
withdrawal.

Every message to an applicant is an `Event` (their timeline, shown on the tracking page) and one e-mail in the
outbox, to their address only, in the same transaction. Notes (`StaffNote`) never reach the applicant.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from langres_portal.core.emails import queue_email
from langres_portal.core.models import SiteIdentity
from langres_portal.core.permissions import ROLE_INSTRUCTORS, can_instruct

from .. import workflow
from ..models import Application, Call, Event, StaffNote
from . import moves
from .submission import notify_message

WITHDRAWN_EMAIL = "microprojets-dossier-retire"


class NotAnInstructor(Exception):
    """The person an application is assigned to must be able to instruct it."""


def instructors():
    """The staff who may instruct applications (core.permissions.can_instruct, as a queryset)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(is_superuser=True) | Q(groups__name=ROLE_INSTRUCTORS))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def assign(*, application_id: int, to, by=None) -> Application:
    """Give the application to an instructor (`to`), or to no one (None)."""
    if to is not None and not can_instruct(to):
        raise NotAnInstructor("Seul un instructeur des microprojets peut être chargé d’un dossier.")
    with transaction.atomic():
        application = moves.lock(application_id)
        application.assigned_to = to
        application.save(update_fields=["assigned_to", "updated_at"])
    return application


def send_message(*, application_id: int, text: str, by, request=None) -> Event:
    """A message of the service to the applicant: on the tracking page, announced by an e-mail (outbox)."""
    with transaction.atomic():
        application = Application.objects.get(pk=application_id)
        event = Event.objects.create(application=application, message=text.strip(), by=by)
        notify_message(event, request)
    return event


def add_note(*, application_id: int, text: str, by) -> StaffNote:
    """A private note of the service: never shown nor sent to the applicant."""
    return StaffNote.objects.create(application_id=application_id, text=text.strip(), by=by)


def message_call(*, call_id: int, text: str, by, include_finished: bool = False, request=None) -> int:
    """The same message to every applicant of a call (a new committee date…): one timeline line and one e-mail
    per application, each to that applicant's address alone, so no one sees another's. Returns how many."""
    with transaction.atomic():
        call = Call.objects.get(pk=call_id)
        applications = call.applications.order_by("pk")
        if not include_finished:
            applications = applications.exclude(status__in=workflow.FINAL)
        events = Event.objects.bulk_create(
            [Event(application=application, message=text.strip(), by=by) for application in applications]
        )
        for event in events:
            notify_message(event, request)
    return len(events)


def withdraw(*, application_id: int, reason: str = "", expected_version: int | None = None, request=None):
    """The applicant withdraws the application from the tracking page (before a decision: the table says when);
    the service is told by e-mail. Raises workflow.MoveNotAllowed (StaleApplication) with a French message."""
    with transaction.atomic():
        moved = moves.move(
            application_id=application_id,
            target=workflow.Status.WITHDRAWN,
            actor=workflow.Actor.APPLICANT,
            comment=reason,
            expected_version=expected_version,
            request=request,
        )
        site = SiteIdentity.current()
        if site.email:
            application = moved.application
            queue_email(
                key=WITHDRAWN_EMAIL,
                to=[site.email],
                context={
                    "reference": application.reference,
                    "title": application.title,
                    "reason": moved.change.comment,
                    "admin_url": moves.site_url(
                        request, reverse("admin:microprojets_application_change", args=[application.pk])
                    ),
                },
            )
    return moved
