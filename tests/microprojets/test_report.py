"""The end-of-project report on the tracking page once paid; staff close the application or ask for more."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from langres_portal.core.models import OutboxEmail
from microprojets import workflow
from microprojets.models import Attachment, Report, ReportPhoto, StatusChange

from .conftest import EICAR, PDF
from .factories import ApplicationFactory, make_image, paid_application

S = workflow.Status
pytestmark = pytest.mark.django_db


def report_url(application):
    return reverse("microprojets:report", args=[application.tracking_token])


def followup_url(application):
    return reverse("admin:microprojets_application_followup", args=[application.pk])


def report_data(**overrides):
    data = {"what_happened": "Quatre bacs plantés avec les familles.", "people_reached": "45"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def photo(name="jardin.jpg", fmt="JPEG"):
    return SimpleUploadedFile(name, make_image(fmt), content_type="image/jpeg")


def counts():
    return (
        Report.objects.count(),
        ReportPhoto.objects.count(),
        Attachment.objects.count(),
        StatusChange.objects.count(),
    )


@pytest.mark.parametrize("status", [s for s in S.values if s != S.PAID])
def test_the_report_form_shows_only_while_paid(content, client, status):
    application = ApplicationFactory(status=status)
    page = client.get(application.get_tracking_url())
    assert page.status_code == 200 and "Envoyer le bilan" not in page.content.decode()


def test_the_applicant_sends_the_report_with_photos_and_a_receipt(content, client):
    application = paid_application()
    page = client.get(application.get_tracking_url())
    assert "Envoyer le bilan de votre projet" in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin"
    data = report_data(
        residents_reached="30",
        **{"photo-0-photo": photo(), "photo-0-may_publish": "on", "photo-0-alt": "Des enfants plantent des tomates"},
        **{"photo-1-photo": photo("prive.png", "PNG")},
        others=[SimpleUploadedFile("facture.pdf", PDF, content_type="application/pdf")],
    )
    response = client.post(report_url(application), data)
    assert response.status_code == 302 and response.url == application.get_tracking_url()
    application.refresh_from_db()
    assert application.status == S.REPORT_RECEIVED
    report = application.report
    assert (report.people_reached, report.residents_reached, report.sent_count) == (45, 30, 1)
    photos = {p.attachment.original_name: p for p in report.photos.select_related("attachment")}
    assert photos["jardin.jpg"].may_publish and photos["jardin.jpg"].alt == "Des enfants plantent des tomates"
    assert not photos["prive.png"].may_publish and photos["prive.png"].alt == ""
    kinds = sorted(application.attachments.values_list("kind", flat=True))
    assert kinds == ["photo", "photo", "receipt"]
    change = application.status_changes.order_by("-pk").first()
    assert (change.actor, change.to_status) == (workflow.Actor.APPLICANT, S.REPORT_RECEIVED)
    mail = OutboxEmail.objects.get(template_key="microprojets-bilan-recu")
    assert "Personnes touchées : 45" in mail.body_text and "Photos jointes : 2" in mail.body_text
    assert "envoyé le" in client.get(application.get_tracking_url()).content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (report_data(what_happened=""), "what_happened", "obligatoire"),
        (report_data(people_reached="beaucoup"), "people_reached", "nombre"),
        (report_data(people_reached="10", residents_reached="11"), "residents_reached", "10 personnes touchées"),
        (report_data(**{"photo-0-may_publish": "on", "photo-0-alt": "x"}), "photo-0-photo", "Choisissez la photo"),
    ],
)
def test_a_wrong_report_is_refused_at_its_field_and_keeps_what_was_typed(content, client, data, field, message):
    application = paid_application()
    before = counts()
    response = client.post(report_url(application), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "<title>Erreur – " in text and 'id="erreurs"' in text and message in text
    assert data["what_happened"] in text if data.get("what_happened") else True
    assert counts() == before
    application.refresh_from_db()
    assert application.status == S.PAID


def test_a_photo_allowed_for_publication_needs_its_description_and_nothing_is_stored(content, client):
    application = paid_application()
    before = counts()
    data = report_data(**{"photo-0-photo": photo(), "photo-0-may_publish": "on"})
    response = client.post(report_url(application), data)
    assert "Décrivez la photo en une phrase" in response.content.decode()
    assert counts() == before and not list(Attachment.objects.all())


def test_a_pdf_is_not_a_photo(content, client):
    application = paid_application()
    data = report_data(**{"photo-0-photo": SimpleUploadedFile("photo.jpg", PDF, content_type="image/jpeg")})
    response = client.post(report_url(application), data)
    assert "n’est pas une photo JPEG ou PNG" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_receipt_with_a_virus_is_refused_by_clamav(content, client, settings, clamd_socket):
    settings.CLAMAV_SOCKET = clamd_socket
    application = paid_application()
    data = report_data(others=[SimpleUploadedFile("facture.pdf", EICAR, content_type="application/pdf")])
    response = client.post(report_url(application), data)
    assert "contient un virus" in response.content.decode()
    assert not Report.objects.exists() and not Attachment.objects.exists()


def test_a_report_posted_when_it_is_not_expected_stores_nothing(content, client):
    application = ApplicationFactory(status=S.ACCEPTED)
    response = client.post(report_url(application), report_data(**{"photo-0-photo": photo()}))
    assert response.status_code == 302
    assert counts()[:3] == (0, 0, 0)


def test_staff_ask_for_more_then_the_applicant_sends_again_then_staff_close(content, client, admin_client):
    application = paid_application()
    client.post(report_url(application), report_data())
    application.refresh_from_db()
    page = admin_client.get(followup_url(application))
    assert "Suite à donner au bilan" in page.content.decode()
    refused = admin_client.post(
        followup_url(application),
        {"action": "review", "decision": "more", "comment": " ", "version": application.version},
    )
    assert refused.status_code == 400 and "Indiquez ce qui manque" in refused.content.decode()
    admin_client.post(
        followup_url(application),
        {"action": "review", "decision": "more", "comment": "Joignez les factures.", "version": application.version},
    )
    application.refresh_from_db()
    assert application.status == S.PAID
    tracking = client.get(application.get_tracking_url()).content.decode()
    assert "Joignez les factures." in tracking and "Envoyer le bilan de votre projet" in tracking
    client.post(report_url(application), report_data(people_reached="50"))
    application.refresh_from_db()
    assert application.status == S.REPORT_RECEIVED
    assert (application.report.people_reached, application.report.sent_count) == (50, 2)
    stale = application.version - 1
    admin_client.post(followup_url(application), {"action": "review", "decision": "close", "version": stale})
    application.refresh_from_db()
    assert application.status == S.REPORT_RECEIVED  # a page opened before the last move changes nothing
    admin_client.post(
        followup_url(application), {"action": "review", "decision": "close", "version": application.version}
    )
    application.refresh_from_db()
    assert application.status == S.CLOSED


def test_the_report_address_opened_by_get_leads_to_the_tracking_page(content, client):
    application = paid_application()
    response = client.get(report_url(application))
    assert response.status_code == 302 and response.url == application.get_tracking_url() + "#bilan"
    assert not Report.objects.exists()
