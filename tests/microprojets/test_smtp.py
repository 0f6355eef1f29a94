"""The acknowledgement goes through a real SMTP server on 127.0.0.1 and is read back."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.urls import reverse

from microprojets.models import Application

from .conftest import valid_data
from .test_apply import pdf

pytestmark = pytest.mark.django_db


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    mailbox = Mailbox()
    with socket.socket() as probe:  # a free port on the loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield mailbox
    controller.stop()


def test_acknowledgement_is_delivered_by_smtp_with_text_and_html_parts(client, call, smtp_server):
    response = client.post(reverse("microprojets:apply"), {**valid_data(), "statutes": pdf()})
    client.post(response["Location"], {"engagement": "on"})
    application = Application.objects.get()
    assert smtp_server.messages == []  # nothing is sent inside the request
    call_command("send_pending_emails", stdout=open("/dev/null", "w"))
    call_command("send_pending_emails", stdout=open("/dev/null", "w"))  # a second run sends nothing again
    assert len(smtp_server.messages) == 2
    recipients, raw = smtp_server.messages[0]
    assert recipients == ["camille@example.org"]
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["Subject"].strip() == f"Accusé de réception de votre microprojet {application.reference}"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    tracking_url = "http://testserver" + application.get_tracking_url()
    assert tracking_url in text and tracking_url in html
    assert "Jardin partagé" in text and "800,00 €" in text
    assert client.get(application.get_tracking_url()).status_code == 200
