"""Retention of the outbox (e-mails may carry personal data) and of the staff's login journal (addresses and
browsers of every login and failed login, django-axes): both are deleted after a while.

The versions of the public content (core.history, django-simple-history) are not purged: only content models have
one (never applications, PRE requests, drafts or the outbox), so a version holds public texts and its author, a
staff account whose deletion sets the author to NULL (history_user, on_delete=SET_NULL) and keeps the version."""

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings

from .models import OutboxEmail


def purge(now, dry_run: bool) -> list[tuple[str, int]]:
    limit = now - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    # Abandoned ones too (never sent, no sent_at): counted from their creation, they may be retried until then.
    groups = [
        ("courriels envoyés", OutboxEmail.objects.filter(sent_at__lt=limit)),
        ("courriels abandonnés", OutboxEmail.objects.filter(sent_at=None, gave_up=True, created_at__lt=limit)),
        # A template left broken that long: the context (what an applicant typed) is not kept for ever.
        ("courriels jamais rédigés", OutboxEmail.objects.waiting_for_template().filter(created_at__lt=limit)),
    ]
    login_limit = now - timedelta(days=settings.LOGIN_LOG_RETENTION_DAYS)
    groups += [
        ("connexions des agents", AccessLog.objects.filter(attempt_time__lt=login_limit)),
        ("échecs de connexion", AccessFailureLog.objects.filter(attempt_time__lt=login_limit)),
        ("tentatives de connexion", AccessAttempt.objects.filter(attempt_time__lt=login_limit)),
    ]
    result = []
    for label, expired in groups:
        result.append((label, expired.count()))
        if not dry_run:
            expired.delete()
    return result
