"""Staff side: the lists and detail pages, and file downloads that only give clean files, as attachments."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from microprojets.models import Attachment, BudgetLine

from .conftest import PDF
from .factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db


def make_attachment(application, scan_status=Attachment.ScanStatus.CLEAN):
    attachment = Attachment(
        application=application,
        kind=Attachment.Kind.STATUTES,
        original_name="statuts <b>.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        scan_status=scan_status,
        scanned_at=timezone.now() if scan_status != "pending" else None,
    )
    attachment.file.save("x", ContentFile(PDF), save=False)
    attachment.save()
    return attachment


@pytest.fixture
def application(content):
    application = ApplicationFactory()
    BudgetLine.objects.create(application=application, kind="expense", label="Bacs", amount=800)
    return application


def test_staff_list_filters_by_call_and_status(admin_client, application):
    other = ApplicationFactory(call=CallFactory(), status="accepted", title="Fête de quartier")
    url = reverse("admin:microprojets_application_changelist")
    response = admin_client.get(url, {"call__id__exact": application.call_id})
    assert application.title in response.content.decode() and other.title not in response.content.decode()
    response = admin_client.get(url, {"status__exact": "accepted"})
    assert other.title in response.content.decode() and application.title not in response.content.decode()


def test_list_query_count_does_not_grow_with_rows(admin_client, application):
    url = reverse("admin:microprojets_application_changelist")
    admin_client.get(url)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    for _ in range(10):
        ApplicationFactory(call=application.call)
    with CaptureQueriesContext(connection) as many:
        admin_client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_detail_shows_budget_files_and_a_download_link_for_clean_files(admin_client, application):
    clean = make_attachment(application)
    pending = make_attachment(application, Attachment.ScanStatus.PENDING)
    response = admin_client.get(reverse("admin:microprojets_application_change", args=[application.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bacs" in page
    assert reverse("admin:microprojets_attachment_download", args=[clean.pk]) in page
    assert reverse("admin:microprojets_attachment_download", args=[pending.pk]) not in page
    assert "statuts &lt;b&gt;.pdf" in page and "statuts <b>.pdf" not in page


def test_detail_shows_amounts_in_french_format(admin_client, application):
    BudgetLine.objects.create(application=application, kind="expense", label="Terreau", amount="1200.50")
    response = admin_client.get(reverse("admin:microprojets_application_change", args=[application.pk]))
    page = response.content.decode()
    assert "2\xa0000,50" in page  # the expenses total, as the admin shows every other amount
    assert "<td>Terreau</td><td>1\xa0200,50</td>" in page
    assert "2000.50" not in page and "1200.50 €" not in page


def test_download_sends_a_clean_file_as_an_attachment_with_safe_headers(admin_client, application):
    attachment = make_attachment(application)
    response = admin_client.get(reverse("admin:microprojets_attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("status", [Attachment.ScanStatus.PENDING, Attachment.ScanStatus.INFECTED])
def test_files_not_found_clean_cannot_be_downloaded(admin_client, application, status):
    attachment = make_attachment(application, status)
    response = admin_client.get(reverse("admin:microprojets_attachment_download", args=[attachment.pk]))
    assert response.status_code == 404


def test_anonymous_cannot_download_and_files_have_no_public_url(client, application, settings):
    attachment = make_attachment(application)
    response = client.get(reverse("admin:microprojets_attachment_download", args=[attachment.pk]))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    assert str(settings.PRIVATE_MEDIA_ROOT) in attachment.file.path
    assert not attachment.file.path.startswith(str(settings.MEDIA_ROOT))


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:microprojets_application_changelist",
        "admin:microprojets_call_changelist",
        "admin:microprojets_call_add",
    ],
)
def test_admin_pages_render(admin_client, application, url_name):
    assert admin_client.get(reverse(url_name)).status_code == 200


def test_staff_message_appears_on_the_tracking_page_and_the_applicant_is_told(admin_client, client, application):
    from langres_portal.core.models import OutboxEmail

    url = reverse("admin:microprojets_application_message", args=[application.pk])
    response = admin_client.post(url, {"text": "Merci d’envoyer le devis <b>signé</b>."})
    assert response.status_code == 302
    event = application.events.get(message__startswith="Merci")
    assert event.by.username == "admin" and not event.from_applicant and event.status == ""
    mail = OutboxEmail.objects.get()
    assert mail.to == [application.email] and application.tracking_token in mail.body_text
    assert "devis" not in mail.body_text  # the message stays behind the private link
    assert "&lt;b&gt;signé&lt;/b&gt;" in client.get(application.get_tracking_url()).content.decode()


def test_staff_edit_an_eligibility_answer_in_the_admin(admin_client, content):
    from microprojets.models import EligibilityMessage

    message = EligibilityMessage.objects.get(key="lucratif")
    url = reverse("admin:microprojets_eligibilitymessage_change", args=[message.pk])
    assert admin_client.get(reverse("admin:microprojets_eligibilitymessage_changelist")).status_code == 200
    response = admin_client.post(url, {"text": "Aucun bénéfice pour les porteurs."})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.text == "Aucun bénéfice pour les porteurs."
    assert message.key == "lucratif"  # the case is fixed, only its wording changes
    assert admin_client.get(reverse("admin:microprojets_eligibilitymessage_add")).status_code == 403
