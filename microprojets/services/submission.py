"""Submission: drafts with their files, the one-time submission of an application, its reference, the applicant's
complements and the e-mails that go with them."""

import logging
import threading
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from langres_portal.core.emails import queue_email
from langres_portal.core.models import SiteIdentity

from .. import workflow
from ..formats import euros
from ..forms.public import AttachmentsForm, validate_plain_email
from ..forms.submission import Submission, text
from ..models import Application, Attachment, BudgetLine, Call, Draft, Event, ReferenceCounter
from . import moves
from .committee import committee_date_for

logger = logging.getLogger(__name__)


class CallClosed(Exception):
    pass


_frames = threading.local()


def _written_stack() -> list[list]:
    if not hasattr(_frames, "stack"):
        _frames.stack = []
    return _frames.stack


@contextmanager
def atomic_with_files():
    """transaction.atomic() that deletes the files written by store_files() inside it if it rolls back.

    Django has no « on rollback » hook: a file written to the private storage inside a transaction that rolls
    back afterwards (an error in a later step, a failed commit) would stay on disk with no row pointing to it.
    Nested blocks hand their files to the enclosing one, which may still roll back. Use it (not a bare atomic)
    as the outermost transaction of anything that calls store_files().
    """
    stack = _written_stack()
    written = []
    stack.append(written)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for storage, name in written:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("Fichier %s non supprimé après l’annulation de la transaction", name)
        raise
    else:
        if len(stack) > 1:
            stack[-2].extend(written)
    finally:
        stack.pop()


def store_files(owner: dict, checked: list) -> list[Attachment]:
    """Write the checked files to the private storage and their rows; the files go if the transaction fails."""
    attachments = []
    with atomic_with_files():
        written = _written_stack()[-1]
        for kind, file, (scan_status, scan_result) in checked:
            attachment = Attachment(
                kind=kind,
                original_name=file.name,
                content_type=file.content_type,
                size=file.size,
                sha256=file.sha256,
                scan_status=scan_status,
                scan_result=scan_result,
                scanned_at=timezone.now() if scan_status != Attachment.ScanStatus.PENDING else None,
                **owner,
            )
            attachment.file.save("piece", ContentFile(file.content), save=False)
            written.append((attachment.file.storage, attachment.file.name))
            attachment.save()
            attachments.append(attachment)
    return attachments


@atomic_with_files()
def save_draft(*, call: Call, draft: Draft | None, data: dict, attachments: AttachmentsForm) -> Draft:
    """Store the form as it is, with its valid new files, and drop the files the applicant removed."""
    if draft is None:
        draft = Draft(call=call)
    draft.data = data
    draft.email = valid_email_or_blank(text(data.get("email", "")))
    draft.save()
    removed = [a for a in attachments.kept if a not in getattr(attachments, "remaining", attachments.kept)]
    for attachment in removed:
        delete_attachment(attachment)
    store_files({"draft": draft}, attachments.checked)
    attachments.checked = []
    return draft


def valid_email_or_blank(value: str) -> str:
    """The draft's address if mail may be sent to it (one plain address, Django's validator), else blank."""
    try:
        validate_plain_email(value)
    except ValidationError:
        return ""
    return value


def delete_attachment(attachment: Attachment) -> None:
    """Delete the row now and its file only once the transaction commits (a rollback keeps both)."""
    name = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: attachment.file.storage.delete(name))


def next_reference(year: int) -> str:
    """MP-YYYY-NNNN, taken from the year's counter row locked until the caller's transaction ends."""
    ReferenceCounter.objects.bulk_create([ReferenceCounter(year=year, last=0)], ignore_conflicts=True)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"MP-{year}-{counter.last:04d}"


site_url = moves.site_url


def submit_draft(*, token: str, request=None, now=None) -> tuple[Application, bool]:
    """Turn a checked draft into an application, exactly once; returns (application, created).

    One transaction writes the application, its budget, its files, its first event and both e-mails. A second
    submit of the same draft (double click, resend) finds the application made by the first one.
    """
    now = now or timezone.now()
    with transaction.atomic():
        draft = Draft.objects.select_for_update().select_related("call").filter(token=token).first()
        if draft is None:
            application = Application.objects.filter(source_token=token).first()
            if application is None:
                raise Draft.DoesNotExist
            return application, False
        if not draft.call.is_open(now):
            raise CallClosed
        kept = list(draft.attachments.all())
        submission = Submission(draft.call, data=draft.data, kept=kept)
        if not submission.is_valid():
            raise ValueError("Le brouillon n’est plus valide")
        application = submission.form.save(commit=False)
        application.call = draft.call
        application.source_token = token
        application.amount_requested = submission.budget.cleaned_data["amount_requested"]
        application.submitted_at = now
        application.reference = next_reference(timezone.localtime(now).year)
        application.full_clean(exclude=["tracking_token", "source_token"])
        application.save()
        lines = [
            BudgetLine(application=application, kind=kind, label=line["label"], amount=line["amount"], order=i)
            for kind, formset in (
                (BudgetLine.Kind.EXPENSE, submission.expenses),
                (BudgetLine.Kind.RESOURCE, submission.resources),
            )
            for i, line in enumerate(formset.lines())
        ]
        BudgetLine.objects.bulk_create(lines)
        draft.attachments.update(application=application, draft=None)
        moves.record_submission(application, now)
        draft.delete()
        queue_acknowledgements(application, request)
    return application, True


def email_context(application: Application, request=None) -> dict:
    application = (
        Application.objects.prefetch_related("budget_lines", "attachments")
        .select_related("call", "quartier", "pillar")
        .get(pk=application.pk)
    )
    return {
        "application": application,
        "reference": application.reference,
        "title": application.title,
        "call": application.call.title,
        "amount_requested": euros(application.amount_requested),
        "tracking_url": site_url(request, application.get_tracking_url()),
        "admin_url": site_url(request, reverse("admin:microprojets_application_change", args=[application.pk])),
        "submitted_at": timezone.localtime(application.submitted_at),
        "committee_date": committee_date_for(application),
        "files": [a.original_name for a in application.attachments.all()],
    }


def queue_acknowledgements(application: Application, request=None) -> None:
    context = email_context(application, request)
    site = SiteIdentity.current()
    queue_email(
        key="microprojets-accuse-reception",
        to=[application.email],
        context=context,
        reply_to=[site.email] if site.email else None,
    )
    if site.email:
        queue_email(key="microprojets-nouveau-dossier", to=[site.email], context=context)


@atomic_with_files()
def add_complement(application: Application, form, request=None) -> Event:
    """The applicant's answer to the service: message, files and an e-mail to the service.

    An answer to « Complément demandé » moves the application back to « En instruction », in the same
    transaction: the service sees the answer and the status together, or neither.
    """
    locked = moves.lock(application.pk)
    event = Event.objects.create(application=locked, message=form.cleaned_data["message"], from_applicant=True)
    files = store_files({"application": locked, "event": event}, form.checked)
    if locked.status == Application.Status.INCOMPLETE:
        moves.move(
            application_id=locked.pk,
            target=Application.Status.UNDER_REVIEW,
            actor=workflow.Actor.APPLICANT,
            request=request,
        )
    site = SiteIdentity.current()
    if site.email:
        context = email_context(application, request)
        context.update(message=event.message, new_files=[f.original_name for f in files])
        queue_email(key="microprojets-complement", to=[site.email], context=context)
    return event


def notify_message(event: Event, request=None) -> None:
    """Tell the applicant that the service wrote on the tracking page (the message itself stays there)."""
    application = event.application
    queue_email(
        key="microprojets-message-du-service",
        to=[application.email],
        context={
            "reference": application.reference,
            "title": application.title,
            "tracking_url": site_url(request, application.get_tracking_url()),
        },
    )


def resend_tracking_link(application_id: int, request=None) -> None:
    """Mail the tracking link of one application to its own address (asked from its old draft link)."""
    application = Application.objects.get(pk=application_id)
    link = {"reference": application.reference, "title": application.title}
    link["url"] = site_url(request, application.get_tracking_url())
    queue_email(
        key="microprojets-renvoi-liens", to=[application.email], context={"links": [link], "drafts": [], "count": 1}
    )


def resend_links(email: str, request=None) -> int:
    """Queue one e-mail with the tracking links of this address's applications (none if it has none)."""
    applications = list(Application.objects.filter(email__iexact=email.strip()).order_by("submitted_at"))
    drafts = list(Draft.objects.filter(email__iexact=email.strip(), call__closes_at__gt=timezone.now()))
    if not applications and not drafts:
        return 0
    links = [
        {"reference": a.reference, "title": a.title, "url": site_url(request, a.get_tracking_url())}
        for a in applications
    ]
    drafts_links = [site_url(request, reverse("microprojets:resume", args=[d.token])) for d in drafts]
    queue_email(
        key="microprojets-renvoi-liens",
        to=[email.strip()],
        context={"links": links, "drafts": drafts_links, "count": len(links) + len(drafts_links)},
    )
    return len(links) + len(drafts_links)
