"""purge_personal_data anonymises applications in place after their retention period; --dry-run changes nothing."""

from datetime import datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from microprojets import retention, workflow
from microprojets.models import Application, Attachment, Event, Report, StatusChange

from .conftest import PDF
from .factories import ApplicationFactory, make_image, paid_application

S = workflow.Status
PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db
DECIDED_ON = datetime(2020, 6, 1, 10, tzinfo=PARIS)


def purge(*args):
    out = StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def closed_with_files(client):
    with time_machine.travel(DECIDED_ON, tick=False):
        application = paid_application()
        data = {
            "what_happened": "Camille Martin a animé les ateliers.",
            "people_reached": "40",
            "photo-0-photo": SimpleUploadedFile("p.jpg", make_image(), content_type="image/jpeg"),
            "others": [SimpleUploadedFile("facture.pdf", PDF, content_type="application/pdf")],
        }
        client.post(reverse("microprojets:report", args=[application.tracking_token]), data)
        from microprojets.demo import reach

        application.refresh_from_db()
        return reach(application, S.CLOSED)


def test_every_model_pointing_to_an_application_is_classified_by_the_retention():
    pointing = {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey | models.OneToOneField) and field.related_model is Application
    }
    assert pointing == set(retention.RELATED_HANDLED), "Classez ce modèle dans retention.RELATED_HANDLED"


def test_dry_run_says_what_would_go_and_changes_nothing_then_the_real_run_anonymises(
    content, client, django_capture_on_commit_callbacks
):
    application = closed_with_files(client)
    files = [Path(a.file.path) for a in application.attachments.all()]
    assert len(files) == 2 and all(f.exists() for f in files)
    before = Application.objects.values().get(pk=application.pk)
    with time_machine.travel(datetime(2025, 5, 31, 12, tzinfo=PARIS), tick=False):
        assert application.reference not in purge("--dry-run")
    with time_machine.travel(datetime(2025, 6, 2, 12, tzinfo=PARIS), tick=False):
        out = purge("--dry-run")
        assert f"anonymisés (chiffres conservés) : {application.reference} : 1 à supprimer" in out
        assert "fichiers de ces dossiers : 2 à supprimer" in out and "Simulation" in out
        assert Application.objects.values().get(pk=application.pk) == before
        assert all(f.exists() for f in files)
        with django_capture_on_commit_callbacks(execute=True):
            out = purge()
    assert "fichiers de ces dossiers : 2 supprimé(s)" in out
    application = Application.objects.get(pk=application.pk)
    assert application.anonymised_at is not None
    for name in ("first_name", "last_name", "email", "phone", "address", "organisation_name", "description"):
        assert getattr(application, name) == "", name
    assert application.title == retention.ANONYMOUS_TITLE
    # The figures stay for the statistics.
    for name in ("amount_requested", "amount_granted", "amount_paid", "quartier_id", "pillar_id", "porteur_kind"):
        assert getattr(application, name) == before[name], name
    assert application.status == S.CLOSED and application.submitted_at == before["submitted_at"]
    assert not Attachment.objects.exists() and not any(f.exists() for f in files)
    assert Report.objects.get().what_happened == "" and Report.objects.get().people_reached == 40
    assert StatusChange.objects.filter(application=application).exclude(comment="").count() == 0
    assert StatusChange.objects.filter(application=application).count() == len(workflow.path_to(S.CLOSED)) + 1
    assert not Event.objects.exclude(message="").exists()
    assert client.get(reverse("microprojets:tracking", args=[before["tracking_token"]])).status_code == 404
    assert "dossiers de microprojets anonymisés (chiffres conservés) : 0" in purge()  # done once


@pytest.mark.parametrize(
    ("status", "years"), [(S.REJECTED, 1), (S.ABANDONED, 1), (S.WITHDRAWN, 1), (S.NOT_CARRIED_OUT, 5)]
)
def test_the_retention_period_depends_on_the_final_status(content, status, years):
    with time_machine.travel(DECIDED_ON, tick=False):
        application = ApplicationFactory(status=status)
    just_before = datetime(2020 + years, 5, 31, 12, tzinfo=PARIS)
    with time_machine.travel(just_before, tick=False):
        purge()
    assert Application.objects.get(pk=application.pk).anonymised_at is None
    with time_machine.travel(datetime(2020 + years, 6, 1, 11, tzinfo=PARIS), tick=False):
        purge()
    assert Application.objects.get(pk=application.pk).anonymised_at is not None


def test_an_application_still_in_progress_is_never_purged(content):
    with time_machine.travel(DECIDED_ON, tick=False):
        application = ApplicationFactory(status=S.PAID)
    with time_machine.travel(datetime(2040, 1, 1, tzinfo=PARIS), tick=False):
        purge()
    assert Application.objects.get(pk=application.pk).email == application.email


def test_the_settings_set_the_periods(content, settings):
    settings.MICROPROJETS_SHORT_RETENTION_YEARS = 2
    with time_machine.travel(DECIDED_ON, tick=False):
        application = ApplicationFactory(status=S.REJECTED)
    with time_machine.travel(datetime(2021, 7, 1, tzinfo=PARIS), tick=False):
        purge()
    assert Application.objects.get(pk=application.pk).anonymised_at is None


def test_the_admin_cannot_delete_an_application(content, admin_client):
    application = ApplicationFactory(status=S.REJECTED)
    response = admin_client.post(
        reverse("admin:microprojets_application_delete", args=[application.pk]), {"post": "yes"}
    )
    assert response.status_code == 403 and Application.objects.filter(pk=application.pk).exists()
