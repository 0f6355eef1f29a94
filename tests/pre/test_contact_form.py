"""The « demande de contact »: rules of the form, anti-abuse, Post/Redirect/Get, and the coordinator's e-mail."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from langres_portal.core.models import EmailTemplate, OutboxEmail
from pre.models import ContactRequest, PreSettings
from tests.pre.factories import VALID_REQUEST

pytestmark = pytest.mark.usefixtures("content")

URL = "/reussite-educative/contact/"
VALID = VALID_REQUEST


def post(client, **changes):
    data = {**VALID, **changes}
    return client.post(URL, {k: v for k, v in data.items() if v is not None})


def test_url_and_empty_form(client):
    assert reverse("pre:contact") == URL
    response = client.get(URL)
    assertContains(
        response, "<title>Demander à être rappelé par l’équipe du PRE – Ville de Langres</title>", html=True
    )
    legend = '<legend class="form-label requiredField fs-6">Vous êtes<span class="asteriskField">*</span></legend>'
    assertContains(response, legend, html=True)
    assertContains(response, "Les champs marqués d’un astérisque (*) sont obligatoires.")
    for attrs in ['autocomplete="name"', 'autocomplete="tel"', 'autocomplete="email"', 'maxlength="500"']:
        assertContains(response, attrs)
    assertContains(response, 'name="csrfmiddlewaretoken"')


def test_warning_is_visible_above_the_message_and_described_by_it(client):
    html = client.get(URL).content.decode()
    warning = html.index('id="avertissement-message"')
    assert "N’écrivez ici rien sur la santé de l’enfant" in html[warning : warning + 400]
    assert warning < html.index('<textarea name="message"')
    assert 'aria-describedby="avertissement-message id_message_helptext"' in html


def test_warning_comes_from_the_settings(client):
    PreSettings.objects.update(message_warning="Pas de détails médicaux ici, merci.")
    assertContains(client.get(URL), "Pas de détails médicaux ici, merci.")


def test_form_page_carries_the_privacy_information(client):
    response = client.get(URL)
    for text in [
        "Ville de Langres",
        "article 6-1-e",
        "seulement l’équipe du PRE",
        "6 mois après l’appel",
        "Ce qui est obligatoire",
        "réclamation à la CNIL",
        "délégué à la protection des données",
    ]:
        assertContains(response, text)


def test_valid_request_is_saved_and_redirects_to_the_confirmation(client):
    response = post(client)
    assertRedirects(response, reverse("pre:contact_done"), status_code=303)
    saved = ContactRequest.objects.get()
    assert (saved.requester_type, saved.name, saved.phone, saved.email) == (
        "parent",
        "Amina Benali",
        "06 12 34 56 78",
        "amina.benali@example.org",
    )
    assert saved.preferred_moments == ["morning", "evening"]
    assert saved.handled_at is None
    assertContains(client.get(response.url), "dans les trois jours ouvrés")


def test_phone_alone_or_email_alone_is_enough(client):
    assert post(client, email="").status_code == 303
    assert post(client, phone="").status_code == 303
    assert set(ContactRequest.objects.values_list("email", flat=True)) == {"", "amina.benali@example.org"}


def test_message_and_moments_are_optional(client):
    assert post(client, message="", preferred_moments=None).status_code == 303
    assert ContactRequest.objects.get().get_preferred_moments_display() == "Indifférent"


def assert_error_kept_the_rest(response, field, message, kept=("Amina Benali",)):
    assert response.status_code == 400
    title = "<title>Erreur – Demander à être rappelé par l’équipe du PRE – Ville de Langres</title>"
    assertContains(response, title, html=True, status_code=400)
    errors = response.context["form"].errors
    assert message in " ".join(errors.get(field, errors.get("__all__", []))), errors
    assertContains(response, message, status_code=400)
    for value in kept:
        assertContains(response, value, status_code=400)
    assert ContactRequest.objects.count() == 0
    assert OutboxEmail.objects.count() == 0


def test_neither_phone_nor_email(client):
    response = post(client, phone="", email="")
    assert_error_kept_the_rest(
        response,
        "phone",
        "Indiquez un numéro de téléphone ou une adresse électronique",
        kept=("Amina Benali", "Je voudrais savoir comment fonctionne le programme."),
    )
    assert re.search(r'value="morning"\s+id="id_preferred_moments_0" checked', response.content.decode())
    assertContains(response, '<a href="#id_phone">', status_code=400)


@pytest.mark.parametrize("phone", ["12", "0612", "06 12 34 56 78 90", "telephone", "+1 202 555 0101"])
def test_malformed_phone(client, phone):
    assert_error_kept_the_rest(post(client, phone=phone), "phone", "saisissez 10 chiffres")


@pytest.mark.parametrize("email", ["amina", "amina@", "amina@exemple", "@exemple.fr", "a b@exemple.fr"])
def test_malformed_email(client, email):
    assert_error_kept_the_rest(post(client, email=email), "email", "Saisissez une adresse électronique complète")


def test_message_of_10000_characters(client):
    response = post(client, message="é" * 10_000)
    assert_error_kept_the_rest(response, "message", "Le message est limité à 500 caractères (il en compte 10000)")
    # The error is announced with the field, after the warning and the help text.
    assertContains(
        response, 'aria-describedby="avertissement-message id_message_helptext id_message_error"', status_code=400
    )
    assertContains(response, '<div id="id_message_error" class="invalid-feedback">', status_code=400)


def test_message_of_exactly_500_characters_is_accepted(client):
    assert post(client, message="a" * 500).status_code == 303


@pytest.mark.parametrize("field", ["name", "message"])
def test_script_tags_are_refused_at_the_field(client, field):
    response = post(client, **{field: "<script>alert('x')</script>"})
    assert_error_kept_the_rest(response, field, "Retirez les balises HTML", kept=("06 12 34 56 78",))
    assertNotContains(response, "<script>alert", status_code=400)
    assertContains(response, "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;", status_code=400)


def test_missing_requester_type_links_to_the_first_radio(client):
    response = post(client, requester_type=None)
    assert_error_kept_the_rest(response, "requester_type", "Indiquez si vous êtes parent, professionnel ou autre.")
    assertContains(response, '<a href="#id_requester_type_0">', status_code=400)


def test_unknown_requester_type_or_moment(client):
    assert post(client, requester_type="robot").status_code == 400
    assert post(client, preferred_moments=["minuit"]).status_code == 400
    assert ContactRequest.objects.count() == 0


def test_missing_name(client):
    assert_error_kept_the_rest(post(client, name=""), "name", "Indiquez votre nom", kept=("06 12 34 56 78",))


def test_honeypot_rejects_with_a_message_at_the_top(client):
    response = post(client, website="http://spam.example")
    assert_error_kept_the_rest(response, "__all__", "Votre demande n’a pas pu être envoyée.")


def test_rate_limit_per_client_ip(client, settings):
    settings.FORM_RATE_LIMIT_PER_HOUR = 2
    assert post(client).status_code == 303
    assert post(client).status_code == 303
    response = post(client, name="Troisième Essai")
    assert response.status_code == 429
    assertContains(response, "Plusieurs demandes ont déjà été envoyées", status_code=429)
    assertContains(response, "06 78 27 18 82", status_code=429)
    assertContains(response, "Troisième Essai", status_code=429)  # what was typed is kept
    assert ContactRequest.objects.count() == 2
    # Another client is not affected.
    assert client.post(URL, VALID, REMOTE_ADDR="192.0.2.7").status_code == 303


def test_oversized_request_is_refused_before_reading_it(client):
    response = client.post(URL, {**VALID, "message": "x" * 200_000})
    assert response.status_code == 413
    assertContains(response, "Votre demande est trop longue", status_code=413)
    assert ContactRequest.objects.count() == 0


def test_malformed_content_length_is_no_server_error(client):
    # Django reads no body when the header is not a number: the form comes back with its errors, not a 500.
    response = client.post(URL, VALID, CONTENT_LENGTH="abc")
    assert response.status_code == 400
    assert ContactRequest.objects.count() == 0


def test_csrf_is_enforced(client):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post(URL, VALID).status_code == 403
    assert ContactRequest.objects.count() == 0


def test_only_get_and_post(client):
    assert client.put(URL).status_code == 405


# --- The coordinator's e-mail ---------------------------------------------------------------------------------


def test_coordinator_gets_an_email_without_personal_data(client):
    post(client)
    saved = ContactRequest.objects.get()
    queued = OutboxEmail.objects.get()
    assert queued.to == ["elodie.petit@langres.fr"]
    assert queued.reply_to == []
    admin_url = "http://testserver" + reverse("admin:pre_contactrequest_change", args=[saved.pk])
    assert admin_url in queued.body_text and admin_url in queued.body_html
    everything = queued.subject + queued.body_text + queued.body_html + str(queued.to)
    for personal in [
        "Amina",
        "Benali",
        "06 12 34 56 78",
        "amina.benali",
        "comment fonctionne",
        "parent",
        "Parent",
        "matin",
        "17 h",
    ]:
        assert personal not in everything.replace("elodie.petit", ""), personal


def test_the_address_notified_is_the_editable_setting(client):
    PreSettings.objects.update(coordinator_email="coordination-pre@example.org")
    post(client)
    assert OutboxEmail.objects.get().to == ["coordination-pre@example.org"]


def test_email_is_sent_later_once_even_if_the_mail_server_was_down(client, settings):
    settings.EMAIL_BACKEND = "tests.pre.test_contact_form.BrokenBackend"
    assert post(client).status_code == 303  # the request never fails because mail fails
    call_command("send_pending_emails", verbosity=0)
    assert ContactRequest.objects.count() == 1 and OutboxEmail.objects.get().sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxEmail.objects.update(next_attempt_at=OutboxEmail.objects.get().created_at)
    call_command("send_pending_emails", verbosity=0)
    call_command("send_pending_emails", verbosity=0)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Nouvelle demande de rappel – Programme de Réussite Éducative"


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("serveur de courriel arrêté")


def test_request_and_email_are_written_together_or_not_at_all(client, monkeypatch):
    from pre import views

    def failing_queue_email(**kwargs):
        raise RuntimeError("panne au milieu de l’enregistrement")

    monkeypatch.setattr(views, "queue_email", failing_queue_email)
    client.raise_request_exception = False
    assert post(client).status_code == 500
    assert ContactRequest.objects.count() == 0


def test_missing_email_template_loses_neither_the_request_nor_the_notice(client):
    EmailTemplate.objects.filter(key="pre-nouvelle-demande").delete()
    assert post(client).status_code == 303
    assert ContactRequest.objects.count() == 1
    notice = OutboxEmail.objects.get(template_key="pre-nouvelle-demande")
    # It waits, with its reason for staff, until the template exists again.
    assert notice.sent_at is None and notice.rendered_at is None and "pre-nouvelle-demande" in notice.last_error


def test_the_confirmation_is_not_posted_again_on_refresh(client):
    """A refresh repeats the browser's last request: after « See Other » it is the GET of the confirmation."""
    response = client.post(URL, VALID, follow=True)
    assert response.redirect_chain == [(reverse("pre:contact_done"), 303)]
    last = response.request
    assert last["REQUEST_METHOD"] == "GET"
    for _refresh in range(2):
        again = client.generic(last["REQUEST_METHOD"], last["PATH_INFO"])
        assert again.status_code == 200
    assert ContactRequest.objects.count() == 1
