"""Index, eligibility check, tracking page and « resend my link »."""

import sys
import types
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pytest_django.asserts import assertContains, assertNotContains

from langres_portal.core.models import OutboxEmail
from microprojets import eligibility
from microprojets.models import Application, Draft, EligibilityMessage, Event

from .factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("microprojets:index")
ELIGIBILITY = reverse("microprojets:eligibility")


def test_index_shows_the_open_call_its_committee_date_and_funded_projects(client, content):
    call = CallFactory(title="Appel 2027", max_amount=1500)
    ApplicationFactory(call=call, status="accepted", title="Jardin des Tulipes", is_example=True)
    ApplicationFactory(call=call, status="submitted", title="Dossier en cours")
    response = client.get(INDEX)
    assertContains(response, "Appel à projets ouvert : Appel 2027")
    assertContains(response, "1\xa0500 €")
    assertContains(response, "Prochain comité de sélection")
    assertContains(response, call.committee_date.strftime("%Y")[:4])
    assertContains(response, "Jardin des Tulipes")
    assertContains(response, "Exemple")
    # The site's one « Exemple » badge (components/example_badge.html), as on the other sections' pages.
    assertContains(response, '<span class="badge example-badge">Exemple</span>', html=True)
    assertNotContains(response, "Dossier en cours")  # only funded projects are public
    assertNotContains(response, "Camille")  # no personal data


def test_index_without_open_call_shows_the_next_one_and_the_contact(client, content):
    CallFactory(upcoming=True, title="Appel de printemps")
    response = client.get(INDEX)
    assertContains(response, "Aucun appel à projets n’est ouvert")
    assertContains(response, "Prochain appel à projets : Appel de printemps")
    assertContains(response, "03 25 87 77 90")
    # The card sits in the « no open call » section (h2): its heading is one level below.
    assertContains(response, '<h3 class="h4 card-title">Service Politique de la ville</h3>', html=True)


def test_index_query_count_does_not_grow_with_funded_projects(client, content, django_assert_num_queries):
    call = CallFactory()
    ApplicationFactory(call=call, status="accepted")
    client.get(INDEX)
    with CaptureQueriesContext(connection) as few:
        client.get(INDEX)
    for _ in range(8):
        ApplicationFactory(call=call, status="accepted")
    with django_assert_num_queries(len(few)):
        client.get(INDEX)


def test_index_committee_explanation_is_an_editable_text(client, content):
    from langres_portal.core.models import Page

    Page.objects.filter(slug="microprojets-comite").update(
        title="Comité des projets", summary="Le comité se réunit deux fois par an."
    )
    response = client.get(INDEX)
    assertContains(response, '<h2 id="comite" class="h3">Comité des projets</h2>', html=True)
    assertContains(response, "Le comité se réunit deux fois par an.")
    assertContains(response, "pas encore fixée")  # no call with a committee date


def answers(**overrides):
    data = {"collective": "oui", "non_profit": "oui", "residents": "oui", "dates": "oui", "amount": "", "street": ""}
    data.update(overrides)
    return data


def test_eligible_project_is_told_so_with_a_link_to_the_form(client, content):
    CallFactory()
    response = client.get(ELIGIBILITY, answers())
    assertContains(response, "Votre projet semble correspondre aux microprojets")
    assertContains(response, reverse("microprojets:apply"))


def test_the_question_on_dates_gives_the_next_committee_date(client, content):
    call = CallFactory()
    response = client.get(ELIGIBILITY)
    assertContains(response, f"Prochain comité de sélection : {date_format(call.committee_date, 'l j F Y')}.")


def test_non_eligible_project_is_told_why_and_whom_to_call(client, content):
    CallFactory()
    response = client.get(ELIGIBILITY, answers(non_profit="non"))
    assertContains(response, "ne semble pas correspondre")
    assertContains(response, "Appelez le Service Politique de la ville au")  # the service's name from its data
    assertContains(response, "ne peut pas rapporter de bénéfice")
    assertContains(response, "03 25 87 77 90")
    assertContains(response, reverse("microprojets:apply"))  # never blocked


def test_borderline_answers_and_amount_over_the_maximum_give_warnings(client, content):
    CallFactory(max_amount=1000)
    response = client.get(ELIGIBILITY, answers(residents="nsp", amount="1200"))
    assertContains(response, "quelques points à vérifier")
    assertContains(response, "dépasse le maximum de l’appel")
    assertContains(response, reverse("microprojets:apply"))


def test_missing_answers_get_an_error_summary(client, content):
    response = client.get(ELIGIBILITY, {"collective": "oui"})
    assertContains(response, "Choisissez une réponse.")
    assertContains(response, "<title>Erreur – ", html=False)


def test_address_lookup_of_the_quartiers_app_is_used(client, content, monkeypatch):
    from quartiers.models import Quartier

    quartier = Quartier.objects.get(slug="quartiers-neufs")
    calls = []

    def fake_lookup(street, number=None):
        calls.append((street, number))
        status = "qpv" if "Tulipes" in street else "outside"
        return types.SimpleNamespace(status=status, quartier=quartier, street=street, is_eligible=status == "qpv")

    fake = types.ModuleType("quartiers.services")
    fake.lookup_address = fake_lookup
    monkeypatch.setitem(sys.modules, "quartiers.services", fake)
    monkeypatch.setattr("quartiers.services", fake, raising=False)
    response = client.get(ELIGIBILITY, answers(street="rue des Tulipes", number="3"))
    assertContains(response, "est dans le quartier Quartiers Neufs")
    response = client.get(ELIGIBILITY, answers(street="rue de Paris"))
    assertContains(response, "n’est pas dans un quartier concerné")
    assert calls == [("rue des Tulipes", "3"), ("rue de Paris", None)]


def test_eligibility_wrapper_says_unknown_without_a_street():
    assert eligibility.lookup_address("").status == "unknown"


# --- Tracking ---------------------------------------------------------------------------------------------------


def test_tracking_page_shows_status_timeline_and_messages_privately(client, content):
    application = ApplicationFactory()
    application.events.create(status=Application.Status.UNDER_REVIEW, message="Dossier complet, merci.")
    response = client.get(application.get_tracking_url())
    assertContains(
        response, f'<h1>Suivi du dossier <span class="text-nowrap">{application.reference}</span></h1>', html=True
    )
    assertContains(response, "Reçu")
    assertContains(response, "En instruction")
    assertContains(response, "Dossier complet, merci.")
    assertContains(response, '<meta name="robots" content="noindex, nofollow">', html=True)
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_tracking_token_is_long_and_random(content):
    a, b = ApplicationFactory(), ApplicationFactory()
    assert len(a.tracking_token) >= 32 and a.tracking_token != b.tracking_token  # 24 bytes = 192 bits


@pytest.mark.parametrize("token", ["inconnu", "x" * 32])
def test_unknown_tracking_token_is_a_404(client, content, token):
    assert client.get(reverse("microprojets:tracking", args=[token])).status_code == 404


def test_resend_link_sends_the_links_of_the_address(client, content):
    one, two = ApplicationFactory(email="camille@example.org"), ApplicationFactory(email="Camille@Example.org")
    response = client.post(reverse("microprojets:resend_link"), {"email": "camille@example.org"}, follow=True)
    assertContains(response, "Si des dossiers ont été déposés avec cette adresse")
    mail = OutboxEmail.objects.get()
    assert mail.to == ["camille@example.org"]
    assert one.tracking_token in mail.body_text and two.tracking_token in mail.body_text


def test_resend_link_never_tells_whether_an_address_has_applications(client, content):
    ApplicationFactory(email="camille@example.org")
    url = reverse("microprojets:resend_link")
    known = client.post(url, {"email": "camille@example.org"})
    unknown = client.post(url, {"email": "personne@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert OutboxEmail.objects.count() == 1


def test_resend_link_bad_address_gets_a_field_error(client, content):
    response = client.post(reverse("microprojets:resend_link"), {"email": "pas-une-adresse"})
    assertContains(response, "<title>Erreur – ", html=False)
    assertContains(response, 'href="#id_email"')


# --- Drafts and retention ---------------------------------------------------------------------------------------


def test_draft_is_saved_unfinished_with_its_files_and_resumed_from_its_private_link(
    client, content, call_factory=CallFactory
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import PDF

    call_factory()
    response = client.post(
        reverse("microprojets:apply"),
        {"action": "draft", "title": "Projet à finir", "email": "camille@example.org", "depenses-TOTAL_FORMS": "6",
         "depenses-INITIAL_FORMS": "0", "depenses-0-label": "Peinture", "depenses-0-amount": "120",
         "ressources-TOTAL_FORMS": "4", "ressources-INITIAL_FORMS": "0",
         "statutes": SimpleUploadedFile("statuts.pdf", PDF)},
    )  # fmt: skip
    draft = Draft.objects.get()
    assert response["Location"] == reverse("microprojets:draft_saved", args=[draft.token])
    assert draft.attachments.count() == 1 and not Application.objects.exists()
    saved = client.get(response["Location"])
    resume_url = reverse("microprojets:resume", args=[draft.token])
    assertContains(saved, resume_url)
    assert saved["Referrer-Policy"] == "no-referrer"
    mail = OutboxEmail.objects.get()
    assert resume_url in mail.body_text and mail.to == ["camille@example.org"]
    resumed = client.get(resume_url)
    assertContains(resumed, 'value="Projet à finir"')
    assertContains(resumed, 'value="Peinture"')
    assertContains(resumed, "Retirer « statuts.pdf »")
    assertNotContains(resumed, "Le formulaire contient")
    assert resumed["Referrer-Policy"] == "same-origin"  # it posts to itself: see views.private()


def test_unknown_draft_is_a_404(client, content):
    CallFactory()
    assert client.get(reverse("microprojets:resume", args=["inconnu"])).status_code == 404


def test_drafts_are_deleted_with_their_files_three_months_after_their_last_change(
    content, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    from microprojets.models import Attachment

    from .conftest import PDF

    call = CallFactory()
    old, recent = Draft.objects.create(call=call), Draft.objects.create(call=call)
    Draft.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=93))
    attachment = Attachment(
        draft=old, original_name="a.pdf", content_type="application/pdf", size=len(PDF), sha256="0" * 64
    )
    attachment.file.save("a", ContentFile(PDF), save=False)
    attachment.save()
    storage, name = attachment.file.storage, attachment.file.name
    ApplicationFactory(call=call)  # applications are not drafts: kept
    call_command("purge_personal_data", "--dry-run", stdout=open("/dev/null", "w"))
    assert Draft.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_personal_data", stdout=open("/dev/null", "w"))
    assert list(Draft.objects.all()) == [recent]
    assert not storage.exists(name)
    assert Application.objects.count() == 1


def test_demo_data_creates_an_open_call_a_past_one_and_example_applications(content):
    call_command("generate_demo_data", "--applications", "9", "--projects", "0", stdout=open("/dev/null", "w"))
    from microprojets.models import Call

    assert Call.objects.open_at().filter(is_example=True).count() == 1
    assert Call.objects.filter(is_example=True, closes_at__lt=timezone.now()).count() == 1
    applications = Application.objects.all()
    assert applications.count() == 9 and all(a.is_example for a in applications)
    assert applications.values("status").distinct().count() >= 4
    # The tracking pages of the examples make sense: no event in the future, a message when a complement is asked.
    assert not Event.objects.filter(created_at__gt=timezone.now()).exists()
    incomplete = Event.objects.filter(status=Application.Status.INCOMPLETE)
    assert incomplete.exists() and all(event.message for event in incomplete)


def test_demo_applications_take_the_commune_from_the_site_identity(content):
    from langres_portal.core.models import SiteIdentity

    SiteIdentity.objects.update(postcode="99999", city="Villexemple")
    call_command("generate_demo_data", "--applications", "2", "--projects", "0", stdout=open("/dev/null", "w"))
    assert {a.address for a in Application.objects.all()} == {"1 rue de l’Exemple, 99999 Villexemple"}


# --- Complement asked by the service -----------------------------------------------------------------------------


def test_applicant_sends_a_complement_with_a_file_when_the_service_asks(client, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import PDF

    application = ApplicationFactory(status=Application.Status.INCOMPLETE)
    application.events.create(status=Application.Status.INCOMPLETE, message="Merci d’envoyer le devis.")
    tracking = client.get(application.get_tracking_url())
    url = reverse("microprojets:complement", args=[application.tracking_token])
    assertContains(tracking, url)
    response = client.post(
        url, {"message": "Voici le devis <b>signé</b>.", "others": SimpleUploadedFile("devis.pdf", PDF)}
    )
    assert response["Location"] == application.get_tracking_url()
    event = application.events.get(from_applicant=True, status="")
    assert event.message == "Voici le devis <b>signé</b>."
    assert application.attachments.get().original_name == "devis.pdf"
    mail = OutboxEmail.objects.get()
    assert mail.to == ["sebastien.bertrand@langres.fr"] and application.reference in mail.subject
    page = client.get(application.get_tracking_url()).content.decode()
    assert "Votre message" in page and "&lt;b&gt;signé&lt;/b&gt;" in page


def test_complement_files_get_the_same_checks(client, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = ApplicationFactory(status=Application.Status.INCOMPLETE)
    url = reverse("microprojets:complement", args=[application.tracking_token])
    response = client.post(url, {"message": "Voici.", "others": SimpleUploadedFile("devis.pdf", b"MZ\x90\x00")})
    assertContains(response, "n’est ni un PDF")
    assertContains(response, "<title>Erreur – ", html=False)
    assert not application.attachments.exists() and not application.events.filter(from_applicant=True).exists()


def test_no_answer_form_once_the_application_is_finished(client, content):
    application = ApplicationFactory(status=Application.Status.CLOSED)
    url = reverse("microprojets:complement", args=[application.tracking_token])
    assertNotContains(client.get(url), "<form")
    client.post(url, {"message": "Spontané"})
    assert not application.events.filter(message="Spontané").exists()


def test_home_page_shows_the_open_call_only_while_it_is_open(client, content):
    call = CallFactory(title="Appel d’automne")
    assertContains(client.get(reverse("home")), "Appel ouvert : Appel d’automne")
    call.closes_at = timezone.now() - timedelta(minutes=1)
    call.save()
    assertNotContains(client.get(reverse("home")), "Appel d’automne")


def test_tracking_page_query_count_does_not_grow_with_the_timeline(client, content):
    application = ApplicationFactory()
    url = application.get_tracking_url()
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(10):
        application.events.create(message=f"Message {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    # The application and its parts, the texts, the identity, the glossary, the committee's date, the report.
    assert len(many.captured_queries) == len(few.captured_queries) <= 10


@pytest.mark.parametrize("url_name", ["microprojets:index", "microprojets:eligibility"])
def test_pages_without_a_post_form_set_no_cookie(client, content, url_name):
    CallFactory()
    assert client.get(reverse(url_name)).cookies == {}


def test_every_eligibility_answer_comes_from_the_initial_content(content):
    loaded = set(EligibilityMessage.objects.values_list("key", flat=True))
    assert loaded == set(EligibilityMessage.Key.values)


def test_staff_edit_the_eligibility_answers_and_the_edit_is_kept(client, content):
    CallFactory(max_amount=1000)
    EligibilityMessage.objects.filter(key="lucratif").update(text="Pas de <b>bénéfice</b> pour les porteurs.")
    EligibilityMessage.objects.filter(key="montant-trop-eleve").update(text="Au plus {montant_maximum}.")
    EligibilityMessage.objects.filter(key="que-faire").update(text="Téléphonez au {telephone} ({service}).")
    call_command("load_initial_content", verbosity=0)  # never overwrites staff edits
    response = client.get(ELIGIBILITY, answers(non_profit="non", amount="1200"))
    assertContains(response, "Pas de &lt;b&gt;bénéfice&lt;/b&gt; pour les porteurs.")  # plain text, escaped
    assertContains(response, "Au plus 1\xa0000,00 €.")
    assertContains(
        response, 'Téléphonez au <a href="tel:+33325877790">03 25 87 77 90</a> (Service Politique de la ville).'
    )
    assertNotContains(response, "ne peut pas rapporter de bénéfice")


def test_explanations_around_the_form_are_staff_edited_pages(client, call):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from langres_portal.core.models import Page

    from .conftest import PDF, valid_data

    slugs = [
        "microprojets-formulaire",
        "microprojets-conseil-devis",
        "microprojets-brouillon",
        "microprojets-renvoi-liens",
        "microprojets-renvoi-liens-envoye",
    ]
    apply_url = reverse("microprojets:apply")
    assertContains(client.get(apply_url), "Comptez une dizaine de minutes.")  # from the initial content
    for slug in slugs:
        Page.objects.filter(slug=slug).update(summary=f"Texte modifié de {slug}.")
    assertContains(client.get(apply_url), "Texte modifié de microprojets-formulaire.")
    assertContains(client.get(reverse("microprojets:resend_link")), "Texte modifié de microprojets-renvoi-liens.")
    sent = client.get(reverse("microprojets:resend_link"), {"envoye": "1"})
    assertContains(sent, "Texte modifié de microprojets-renvoi-liens-envoye.")
    draft = Draft.objects.create(call=call)
    saved = client.get(reverse("microprojets:draft_saved", args=[draft.token]))
    assertContains(saved, "Texte modifié de microprojets-brouillon.")
    response = client.post(apply_url, {**valid_data(), "statutes": SimpleUploadedFile("statuts.pdf", PDF)})
    assertContains(client.get(response["Location"]), "Texte modifié de microprojets-conseil-devis.")  # no quote


# Found by tests/fuzz: a POST whose body holds no field of the form (a JSON or XML body, an empty form) was
# answered as if nothing had been sent: the empty form, no error message.
@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('<?xml version="1.0"?><x/>', "application/xml"),
        ('{"email": "camille@example.org"}', "application/json"),
        ("", "application/x-www-form-urlencoded"),
    ],
)
def test_a_post_without_the_form_fields_is_refused_with_a_message(client, content, body, content_type):
    application = ApplicationFactory(status=Application.Status.INCOMPLETE)
    for url in [
        reverse("microprojets:resend_link"),
        reverse("microprojets:complement", args=[application.tracking_token]),
    ]:
        response = client.generic("POST", url, body, content_type=content_type)
        assertContains(response, 'id="erreurs"')
        assertContains(response, "<title>Erreur – ", html=False)
    assert not application.events.filter(from_applicant=True).exists() and not OutboxEmail.objects.exists()


def test_the_form_and_its_recap_explain_the_policys_words_from_the_glossary(client, call):
    from langres_portal.core.models import Page

    Page.objects.filter(slug="microprojets-formulaire").update(
        summary="Le projet bénéficie aux habitants d’un QPV.", body="<p>Un QPV, encore.</p>"
    )
    response = client.get(reverse("microprojets:apply"))
    assertContains(
        response, '<a class="glossary-term" href="/glossaire/#qpv"><abbr title="quartier prioritaire', count=1
    )
