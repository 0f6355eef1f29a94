"""The end-of-project report: sent by the applicant from the tracking page once the grant is paid; staff close the
application or ask for more (the form shows again)."""

from django.db import transaction
from django.utils import timezone

from langres_portal.core.emails import queue_email
from langres_portal.core.models import SiteIdentity

from .. import workflow
from ..forms.report import checked_photos
from ..models import Application, Attachment, Report, ReportPhoto
from . import moves
from .submission import atomic_with_files, email_context, store_files

REPORT_RECEIVED_EMAIL = "microprojets-bilan-recu"


def send_report(*, application_id: int, form, photos, request=None, now=None) -> Report:
    """Store the report, its receipts and photos, and move « Versé » → « Bilan reçu », all or nothing.

    Raises workflow.MoveNotAllowed when the application is no longer waiting for a report (files are removed).
    """
    now = now or timezone.now()
    data = form.cleaned_data
    with atomic_with_files():
        application = moves.lock(application_id)
        if application.status != workflow.Status.PAID:
            raise workflow.MoveNotAllowed(
                f"Ce dossier est « {application.get_status_display()} » : le bilan n’est pas attendu. "
                "Rien n’a été enregistré."
            )
        fields = {
            "what_happened": data["what_happened"],
            "people_reached": data["people_reached"],
            "residents_reached": data.get("residents_reached"),
            "volunteers": data.get("volunteers"),
        }
        report = Report.objects.filter(application=application).first()
        if report is None:
            report = Report(application=application, sent_at=now, **fields)
        else:
            for name, value in fields.items():
                setattr(report, name, value)
            report.sent_count += 1
            report.sent_at = now
        report.full_clean(exclude=["application"])
        report.save()
        owner = {"application": application}
        store_files(owner, form.checked)
        photo_list = checked_photos(photos)
        stored = store_files(owner, [(Attachment.Kind.PHOTO, file, scan) for file, scan, *_ in photo_list])
        ReportPhoto.objects.bulk_create(
            ReportPhoto(attachment=attachment, report=report, may_publish=may_publish, alt=alt if may_publish else "")
            for attachment, (_file, _scan, may_publish, alt) in zip(stored, photo_list, strict=True)
        )
        moves.move(
            application_id=application.pk,
            target=workflow.Status.REPORT_RECEIVED,
            actor=workflow.Actor.APPLICANT,
            request=request,
            now=now,
        )
        notify_service(application, report, len(form.checked), len(photo_list), request)
    return report


def notify_service(application: Application, report: Report, receipts: int, photos: int, request=None) -> None:
    site = SiteIdentity.current()
    if not site.email:
        return
    context = email_context(application, request)
    context.update(
        people_reached=report.people_reached,
        receipts_count=receipts,
        photos_count=photos,
        sent_count=report.sent_count,
    )
    queue_email(key=REPORT_RECEIVED_EMAIL, to=[site.email], context=context)


def review_report(*, application_id: int, close: bool, by, comment: str = "", expected_version=None, request=None):
    """Staff close the application (« Clôturé »), or ask for more (back to « Versé », with the reason)."""
    with transaction.atomic():
        return moves.move(
            application_id=application_id,
            target=workflow.Status.CLOSED if close else workflow.Status.PAID,
            actor=workflow.Actor.STAFF,
            by=by,
            comment=comment,
            expected_version=expected_version,
            request=request,
        )
