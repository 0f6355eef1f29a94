"""Every file goes through a real clamd (custom one-line EICAR signature, works offline)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from microprojets import antivirus
from microprojets.models import Application, Attachment

from .conftest import EICAR, PDF, valid_data
from .factories import ApplicationFactory
from .test_admin import make_attachment

pytestmark = pytest.mark.django_db


@pytest.fixture
def clamd(settings, clamd_socket):
    settings.CLAMAV_SOCKET = clamd_socket
    return clamd_socket


def test_scanner_tells_clean_from_infected(clamd):
    assert antivirus.scan_bytes(PDF) == (True, "stream: OK")
    clean, answer = antivirus.scan_bytes(EICAR)
    assert not clean and answer.endswith("FOUND")


def test_scanner_without_clamd_is_unavailable(settings, tmp_path):
    settings.CLAMAV_SOCKET = str(tmp_path / "absent.sock")
    with pytest.raises(antivirus.ScanUnavailable):
        antivirus.scan_bytes(PDF)


def test_eicar_is_refused_on_the_form_and_a_clean_pdf_goes_through(client, call, clamd):
    url = reverse("microprojets:apply")
    response = client.post(url, {**valid_data(), "statutes": SimpleUploadedFile("statuts.pdf", EICAR)})
    page = response.content.decode()
    assert "contient un virus" in page and "refusé" in page
    assert not Attachment.objects.exists()

    response = client.post(url, {**valid_data(), "statutes": SimpleUploadedFile("statuts.pdf", PDF)})
    assert response.status_code == 302
    client.post(response["Location"], {"engagement": "on"})
    attachment = Application.objects.get().attachments.get()
    assert attachment.scan_status == Attachment.ScanStatus.CLEAN and attachment.scanned_at


def test_pending_files_are_scanned_later_and_infected_ones_quarantined(content, clamd, admin_client):
    application = ApplicationFactory()
    clean = make_attachment(application, Attachment.ScanStatus.PENDING)
    infected = make_attachment(application, Attachment.ScanStatus.PENDING)
    infected.file.save("y", ContentFile(EICAR), save=True)  # stored before clamd was reachable
    infected.size = len(EICAR)
    infected.save()
    call_command("scan_attachments", stdout=open("/dev/null", "w"))
    clean.refresh_from_db()
    infected.refresh_from_db()
    assert clean.scan_status == Attachment.ScanStatus.CLEAN
    assert infected.scan_status == Attachment.ScanStatus.INFECTED and "FOUND" in infected.scan_result
    download = reverse("admin:microprojets_attachment_download", args=[infected.pk])
    assert admin_client.get(download).status_code == 404
    assert admin_client.get(reverse("admin:microprojets_attachment_download", args=[clean.pk])).status_code == 200
    listing = admin_client.get(
        reverse("admin:microprojets_application_changelist"), {"attachments__scan_status": "infected"}
    )
    assert application.reference in listing.content.decode()
