"""The outbox: mail queued with the data it reports, sent once, retried while the server is down."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from langres_portal.core.emails import queue_email, retry_delay, send_pending_emails
from langres_portal.core.models import EmailTemplate, OutboxEmail

pytestmark = pytest.mark.usefixtures("content")


@pytest.fixture
def template(db):
    return EmailTemplate.objects.create(
        key="essai",
        subject="Votre demande {{ reference }}",
        body="Bonjour {{ name }},\n\nNous avons bien reçu votre demande {{ reference }}.\n\n{{ site.service_name }}",
    )


class BrokenBackend:
    """An e-mail backend whose server refuses every connection."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("Connexion refusée par le serveur de courriel")


def test_queued_mail_renders_the_staff_template_with_text_and_html(template):
    queue_email(key="essai", to=["a@example.org"], context={"name": "<b>Léa</b>", "reference": "MP-2026-0001"})
    outbox = OutboxEmail.objects.get()
    assert outbox.subject == "Votre demande MP-2026-0001"
    assert "Bonjour <b>Léa</b>," in outbox.body_text  # plain text: no escaping needed
    assert "&lt;b&gt;Léa&lt;/b&gt;" in outbox.body_html  # HTML part: escaped
    assert "Service Politique de la ville" in outbox.body_text


def test_pending_mail_is_sent_once(template, settings):
    queue_email(key="essai", to=["a@example.org"], context={"name": "Léa", "reference": "R1"})
    call_command("send_pending_emails")
    call_command("send_pending_emails")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["a@example.org"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.alternatives[0].mimetype == "text/html"
    assert OutboxEmail.objects.get().sent_at is not None


def test_server_down_keeps_the_mail_and_retries_later(template, settings):
    queue_email(key="essai", to=["a@example.org"], context={"name": "Léa", "reference": "R1"})
    settings.EMAIL_BACKEND = "tests.core.test_outbox.BrokenBackend"
    now = timezone.now()
    assert send_pending_emails(now=now) == (0, 1)
    pending = OutboxEmail.objects.get()
    assert pending.sent_at is None and pending.attempts == 1 and "ConnectionRefusedError" in pending.last_error
    # Not due again before the back-off delay.
    assert send_pending_emails(now=now + timedelta(seconds=10)) == (0, 0)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_pending_emails(now=now + timedelta(hours=1)) == (1, 0)
    assert send_pending_emails(now=now + timedelta(hours=2)) == (0, 0)
    assert len(mail.outbox) == 1


def test_gives_up_after_the_maximum_attempts_and_staff_can_retry(template, settings, admin_client):
    queue_email(key="essai", to=["a@example.org"], context={"name": "Léa", "reference": "R1"})
    settings.EMAIL_BACKEND = "tests.core.test_outbox.BrokenBackend"
    now = timezone.now()
    for i in range(settings.OUTBOX_MAX_ATTEMPTS):
        send_pending_emails(now=now + timedelta(days=i))
    assert OutboxEmail.objects.get().gave_up
    assert send_pending_emails(now=now + timedelta(days=30)) == (0, 0)
    admin_client.post(
        reverse("admin:core_outboxemail_changelist"),
        {"action": "retry", "_selected_action": [OutboxEmail.objects.get().pk]},
    )
    assert not OutboxEmail.objects.get().gave_up


def test_back_off_grows_and_is_capped():
    assert [retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert retry_delay(30) == timedelta(hours=6)


def test_purge_deletes_old_sent_mails_only(template, capsys):
    queue_email(key="essai", to=["a@example.org"], context={"name": "Léa", "reference": "R1"})
    queue_email(key="essai", to=["b@example.org"], context={"name": "Léo", "reference": "R2"})
    queue_email(key="essai", to=["c@example.org"], context={"name": "Lou", "reference": "R3"})
    old, recent, unsent = OutboxEmail.objects.order_by("pk")
    OutboxEmail.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=91))
    OutboxEmail.objects.filter(pk=recent.pk).update(sent_at=timezone.now() - timedelta(days=10))
    call_command("purge_personal_data", dry_run=True)
    assert "courriels envoyés : 1 à supprimer" in capsys.readouterr().out
    assert OutboxEmail.objects.count() == 3
    call_command("purge_personal_data")
    assert set(OutboxEmail.objects.values_list("pk", flat=True)) == {recent.pk, unsent.pk}


def test_purge_deletes_old_abandoned_mails_but_keeps_pending_ones(template, capsys):
    queue_email(key="essai", to=["a@example.org"], context={"name": "Léa", "reference": "R1"})
    queue_email(key="essai", to=["b@example.org"], context={"name": "Léo", "reference": "R2"})
    queue_email(key="essai", to=["c@example.org"], context={"name": "Lou", "reference": "R3"})
    old_abandoned, recent_abandoned, old_pending = OutboxEmail.objects.order_by("pk")
    long_ago = timezone.now() - timedelta(days=91)
    OutboxEmail.objects.filter(pk=old_abandoned.pk).update(gave_up=True, created_at=long_ago)
    OutboxEmail.objects.filter(pk=recent_abandoned.pk).update(gave_up=True)
    OutboxEmail.objects.filter(pk=old_pending.pk).update(created_at=long_ago)  # still being retried
    call_command("purge_personal_data")
    assert "courriels abandonnés : 1" in capsys.readouterr().out
    assert set(OutboxEmail.objects.values_list("pk", flat=True)) == {recent_abandoned.pk, old_pending.pk}


# --- A template that cannot be rendered (defect 3) --------------------------------------------------------------


def break_template(template, body="Bonjour {% if name %}{{ name }}"):
    EmailTemplate.objects.filter(pk=template.pk).update(body=body)  # as an old save or a data load could


def test_a_broken_template_never_raises_and_the_mail_waits_with_its_reason(template, caplog):
    break_template(template)
    queued = queue_email(key="essai", to=["a@example.org"], context={"name": "Léa", "reference": "R1"})
    mail_row = OutboxEmail.objects.get()
    assert mail_row == queued and mail_row.rendered_at is None and mail_row.body_text == ""
    assert "Modèle « essai » à corriger (texte) : Ligne 1 : la balise {% if %} n’est pas fermée" in mail_row.last_error
    assert mail_row.context["name"] == "Léa"  # kept to write the mail later
    assert str(mail_row) == "Courriel « essai » (pas encore rédigé)"
    assert "non rédigé" in caplog.text


def test_a_waiting_mail_is_not_an_attempt_is_retried_hourly_and_never_given_up(template, settings):
    break_template(template)
    queue_email(key="essai", to=["a@example.org"], context={"name": "Léa", "reference": "R1"})
    now = timezone.now()
    assert send_pending_emails(now=now + timedelta(minutes=30)) == (0, 0)  # not due before an hour
    for hour in range(1, settings.OUTBOX_MAX_ATTEMPTS + 3):
        assert send_pending_emails(now=now + timedelta(hours=hour, minutes=1)) == (0, 1)
    waiting = OutboxEmail.objects.get()
    assert waiting.attempts == 0 and not waiting.gave_up and waiting.sent_at is None
    assert len(mail.outbox) == 0


def test_saving_the_fixed_template_sends_the_waiting_mail_at_the_next_run(template):
    good = template.body
    break_template(template)
    queue_email(key="essai", to=["a@example.org"], context={"name": "Léa", "reference": "R1"})
    template.refresh_from_db()
    template.body = good
    template.save()
    assert send_pending_emails() == (1, 0)
    sent = OutboxEmail.objects.get()
    assert sent.rendered_at is not None and sent.last_error == "" and sent.context == {}
    assert mail.outbox[0].subject == "Votre demande R1" and "Bonjour Léa," in mail.outbox[0].body


def test_a_missing_template_waits_until_it_exists(db):
    queue_email(key="inconnu", to=["a@example.org"], context={"name": "Léa"})
    assert "Le modèle de courriel « inconnu » n’existe pas." in OutboxEmail.objects.get().last_error
    EmailTemplate.objects.create(key="inconnu", subject="Bonjour", body="Bonjour {{ name }}")
    assert send_pending_emails() == (1, 0)
    assert mail.outbox[0].body == "Bonjour Léa\n"


def test_a_written_mail_keeps_only_what_it_says(template):
    queue_email(key="essai", to=["a@example.org"], context={"name": "Léa", "reference": "R1"})
    written = OutboxEmail.objects.get()
    assert written.context == {} and written.rendered_at is not None


def test_context_keeps_dates_decimals_and_model_fields_for_a_later_rendering(template, content):
    from decimal import Decimal

    from langres_portal.core.emails import dump_context, load_context
    from langres_portal.core.models import SiteIdentity

    when = timezone.now()
    stored = dump_context(
        {"when": when, "day": when.date(), "amount": Decimal("12.50"), "site": SiteIdentity.current()}
    )
    loaded = load_context(stored)
    assert loaded["when"] == when and loaded["day"] == when.date() and loaded["amount"] == Decimal("12.50")
    assert loaded["site"]["phone"] == "03 25 87 77 90" and str(loaded["site"]) == str(SiteIdentity.current())


def test_old_mails_never_written_are_purged_with_their_context(template, capsys):
    break_template(template)
    queue_email(key="essai", to=["a@example.org"], context={"name": "Léa"})
    queue_email(key="essai", to=["b@example.org"], context={"name": "Léo"})
    old, recent = OutboxEmail.objects.order_by("pk")
    OutboxEmail.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91))
    call_command("purge_personal_data")
    assert "courriels jamais rédigés : 1" in capsys.readouterr().out
    assert list(OutboxEmail.objects.all()) == [recent]


def test_staff_see_the_state_and_the_reason_in_the_outbox(template, admin_client):
    break_template(template)
    queue_email(key="essai", to=["a@example.org"], context={"name": "Léa"})
    page = admin_client.get("/admin/core/outboxemail/", {"etat": "modele"}).content.decode()
    assert "Modèle à corriger" in page and "la balise {% if %} n’est pas fermée" in page
    assert "Courriel « essai » (pas encore rédigé)" in page
    assert "pas encore rédigé" not in admin_client.get("/admin/core/outboxemail/", {"etat": "envoye"}).content.decode()
    detail = admin_client.get(OutboxEmail.objects.get().get_absolute_url()).content.decode()
    assert f'href="/admin/core/emailtemplate/{template.pk}/change/"' in detail
    assert "Léa" not in detail  # the stored context is not shown
