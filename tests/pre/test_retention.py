"""Requests are deleted PRE_REQUEST_RETENTION_DAYS days after they are handled (purge_personal_data)."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from pre import retention
from pre.models import ContactRequest
from tests.pre.factories import ContactRequestFactory

pytestmark = pytest.mark.django_db


def test_default_retention_is_six_months():
    assert django_settings.PRE_REQUEST_RETENTION_DAYS == 183


def test_purge_after_the_retention_period_only(capsys):
    handled_now = ContactRequestFactory(handled=True)
    never_handled = ContactRequestFactory()
    # Time travel: the purge runs at `now`; the request was handled on a given day before it.
    day = timezone.now()
    ContactRequest.objects.filter(pk=handled_now.pk).update(handled_at=day)
    assert retention.purge(day + timedelta(days=182), dry_run=False) == [("demandes de contact du PRE traitées", 0)]
    assert retention.purge(day + timedelta(days=183, seconds=1), dry_run=True) == [
        ("demandes de contact du PRE traitées", 1)
    ]
    assert ContactRequest.objects.count() == 2  # a dry run deletes nothing
    assert retention.purge(day + timedelta(days=183, seconds=1), dry_run=False)[0][1] == 1
    assert list(ContactRequest.objects.values_list("pk", flat=True)) == [never_handled.pk]
    # A request nobody handled yet is kept, however old: it still waits for its call.
    ContactRequest.objects.update(created_at=day - timedelta(days=1000))
    assert retention.purge(day + timedelta(days=1000), dry_run=False)[0][1] == 0


def test_retention_follows_the_setting(settings):
    settings.PRE_REQUEST_RETENTION_DAYS = 30
    ContactRequestFactory(handled_at=timezone.now() - timedelta(days=31))
    ContactRequestFactory(handled_at=timezone.now() - timedelta(days=29))
    assert retention.purge(timezone.now(), dry_run=False)[0][1] == 1
    assert ContactRequest.objects.count() == 1


def test_the_command_lists_and_deletes_expired_requests(capsys):
    ContactRequestFactory(handled_at=timezone.now() - timedelta(days=200))
    ContactRequestFactory(handled_at=timezone.now() - timedelta(days=10))
    call_command("purge_personal_data", dry_run=True)
    assert "demandes de contact du PRE traitées : 1 à supprimer" in capsys.readouterr().out
    assert ContactRequest.objects.count() == 2
    call_command("purge_personal_data")
    assert "demandes de contact du PRE traitées : 1 supprimé(s)" in capsys.readouterr().out
    assert ContactRequest.objects.count() == 1
