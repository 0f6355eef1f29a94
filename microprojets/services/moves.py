"""The one place an application's status changes.

`move()` locks the row, refuses a page opened before another move (version), asks the workflow table, applies the
amounts and dates that go with the move, checks the database constraints with their French messages, writes the
log row and the applicant's timeline line in the same transaction, and queues the applicant's e-mail in the
outbox (same transaction: sent once it commits, never lost).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from langres_portal.core.emails import queue_email
from langres_portal.core.models import SiteIdentity

from .. import workflow
from ..models import Application, Event, StatusChange

# What a move may set besides the status (the step services pass them: committee, payment).
MOVE_FIELDS = {"amount_granted", "amount_paid", "decided_at"}
STATUS_EMAIL = "microprojets-changement-statut"


class StaleApplication(workflow.MoveNotAllowed):
    """The page was opened before someone else moved the application: nothing was changed."""


@dataclass(frozen=True)
class Moved:
    application: Application
    change: StatusChange


def site_url(request, path: str) -> str:
    """An absolute link for an e-mail: from the visit when there is one, else from settings.SITE_URL."""
    return request.build_absolute_uri(path) if request is not None else f"{settings.SITE_URL}{path}"


def who(change: StatusChange | None) -> str:
    if change is None:
        return "quelqu’un d’autre"
    if change.by is not None:
        return change.by.get_full_name() or change.by.get_username()
    return str(workflow.Actor(change.actor).label).lower()


def lock(application_id: int) -> Application:
    """The application, its row locked until the transaction ends (PostgreSQL; SQLite locks the whole base)."""
    return Application.objects.select_for_update().select_related("call").get(pk=application_id)


def move(
    *,
    application_id: int,
    target: str,
    actor: str,
    by=None,
    comment: str = "",
    expected_version: int | None = None,
    updates: dict | None = None,
    notify: bool = True,
    request=None,
    now=None,
) -> Moved:
    """Move one application to `target`; raises workflow.MoveNotAllowed (nothing changed) with a French message."""
    now = now or timezone.now()
    comment = (comment or "").strip()
    updates = dict(updates or {})
    if unknown := set(updates) - MOVE_FIELDS:
        raise ValueError(f"Champs non modifiables par un changement de statut : {sorted(unknown)}")
    with transaction.atomic():
        application = lock(application_id)
        if expected_version is not None and application.version != expected_version:
            last = application.status_changes.select_related("by").order_by("-created_at", "-pk").first()
            raise StaleApplication(
                f"Ce dossier vient d’être modifié par {who(last)} (il est maintenant « "
                f"{application.get_status_display()} ») : rien n’a été enregistré. Relisez-le, puis recommencez.",
                application.status,
                target,
            )
        source = application.status
        workflow.check_move(source, target, actor, comment)
        for name, value in updates.items():
            setattr(application, name, value)
        if target in workflow.DECIDED and application.decided_at is None:
            application.decided_at = now
        application.status = target
        application.status_changed_at = now
        application.version += 1
        try:
            application.validate_constraints()
        except ValidationError as error:
            raise workflow.MoveNotAllowed(" ".join(error.messages), source, target) from None
        application._moving = True
        application.save(
            update_fields={"status", "status_changed_at", "version", "updated_at", "decided_at", *updates}
        )
        change = StatusChange.objects.create(
            application=application,
            from_status=source,
            to_status=target,
            actor=actor,
            by=by if by is not None and by.is_authenticated else None,
            comment=comment,
            created_at=now,
        )
        Event.objects.create(
            application=application,
            status=target,
            message=comment,
            from_applicant=actor == workflow.Actor.APPLICANT,
            by=change.by,
            created_at=now,
        )
        if notify:
            notify_applicant(application, change, request)
    return Moved(application, change)


def record_submission(application: Application, now) -> StatusChange:
    """The first line of the log and of the timeline: received (called by the submission, same transaction)."""
    Event.objects.create(application=application, status=workflow.Status.SUBMITTED, created_at=now)
    return StatusChange.objects.create(
        application=application,
        from_status="",
        to_status=workflow.Status.SUBMITTED,
        actor=workflow.Actor.APPLICANT,
        created_at=now,
    )


def notify_applicant(application: Application, change: StatusChange, request=None) -> None:
    """The applicant's e-mail for a move they did not make themselves, in the outbox (the caller's transaction)."""
    if change.actor == workflow.Actor.APPLICANT:
        return
    site = SiteIdentity.current()
    queue_email(
        key=STATUS_EMAIL,
        to=[application.email],
        reply_to=[site.email] if site.email else None,
        context={
            "reference": application.reference,
            "title": application.title,
            "status": change.get_to_status_display(),
            "comment": change.comment,
            "tracking_url": site_url(request, application.get_tracking_url()),
        },
    )
