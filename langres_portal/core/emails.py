"""The outbox: queue e-mails in the caller's transaction, send them from a command."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import EmailTemplate, OutboxEmail, SiteIdentity

logger = logging.getLogger(__name__)


def queue_email(*, key: str, to: list[str], context: dict, reply_to: list[str] | None = None) -> OutboxEmail:
    """Render the staff-edited template `key` and store the mail; call it inside the writer's transaction."""
    template = EmailTemplate.objects.get(key=key)
    context = {"site": SiteIdentity.current(), **context}
    subject, body_text = template.render(context)
    body_html = render_to_string("emails/base.html", {"subject": subject, "body": body_text, **context})
    return OutboxEmail.objects.create(
        to=list(to), reply_to=list(reply_to or []), subject=subject, body_text=body_text, body_html=body_html
    )


def retry_delay(attempts: int) -> timedelta:
    """Back-off: 1, 2, 4 … minutes, at most 6 hours, so a mail server down for hours loses nothing."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def send_pending_emails(*, limit: int = 100, now=None) -> tuple[int, int]:
    """Send the due e-mails once each; returns (sent, failed)."""
    sent = failed = 0
    now = now or timezone.now()
    ids = list(OutboxEmail.objects.due(now).order_by("created_at").values_list("pk", flat=True)[:limit])
    for pk in ids:
        with transaction.atomic():
            # skip_locked: two cron runs at once never send the same mail twice (PostgreSQL).
            mail = OutboxEmail.objects.select_for_update(skip_locked=True).filter(pk=pk, sent_at=None).first()
            if mail is None:
                continue
            message = EmailMultiAlternatives(
                subject=mail.subject,
                body=mail.body_text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=mail.to,
                reply_to=mail.reply_to or None,
            )
            if mail.body_html:
                message.attach_alternative(mail.body_html, "text/html")
            mail.attempts += 1
            try:
                message.send()
            except Exception as exc:  # noqa: BLE001 - any transport error means "try again later"
                failed += 1
                mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                mail.next_attempt_at = now + retry_delay(mail.attempts)
                mail.gave_up = mail.attempts >= settings.OUTBOX_MAX_ATTEMPTS
                logger.warning("Outbox e-mail %s not sent (attempt %s): %s", mail.pk, mail.attempts, exc)
            else:
                sent += 1
                mail.sent_at = timezone.now()
                mail.last_error = ""
            mail.save(update_fields=["attempts", "last_error", "next_attempt_at", "gave_up", "sent_at"])
    return sent, failed
