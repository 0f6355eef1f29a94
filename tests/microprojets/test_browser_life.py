"""The whole life of a microproject in one browser, as the people do it (issue 10, « Done when »).

An association applies on the public form with its statutes → it reads the tracking link in its e-mail → an
instructor of « Instructeur microprojets » starts the instruction and asks for a complement → the applicant answers
with a file → the instructor puts the application on a committee's agenda → three members present, quorum reached,
three votes « pour », 300 € proposed → the decisions are published → paid → the report with a photo the Ville may
publish → closed → a draft project of the catalogue, which an editor publishes → the public catalogue shows it with
the photo. Only the call, the staff accounts and reading the e-mail use code.

At each step the applicant's tracking page shows the status and the timeline's newest entry; axe-core runs on every
page the applicant and the instructor open. SCREENSHOTS_DIR=… keeps screenshots of the key steps.
"""

import os
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from contrat_ville.models import Project
from langres_portal.core.models import OutboxEmail
from langres_portal.core.permissions import ROLE_EDITORS, ROLE_INSTRUCTORS
from microprojets import workflow
from microprojets.models import Application, Attachment
from tests.browser import AXE_IMPORT, assert_no_axe_violations

from .conftest import PDF
from .factories import CallFactory, make_image

pytestmark = [pytest.mark.browser]
S = workflow.Status
SHOTS = os.environ.get("SCREENSHOTS_DIR")
GUIDE_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "guide"
PASSWORD = "motdepasse-solide-123"
EMAIL = "camille@example.org"


class Checks:
    """axe-core on each page visited (counted), and screenshots at the key steps."""

    def __init__(self):
        self.axe = 0

    def axe_check(self, page):
        page.wait_for_load_state("load")
        assert_no_axe_violations(page)
        self.axe += 1

    def shot(self, page, name):
        """SCREENSHOTS_DIR=… keeps every step; `make docs-screenshots` writes the staff guide's (its admin pages
        and the applicant's tracking page) to docs/guide/ as instruction-<name>.png (docs/guide-agents.md)."""
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/life-{name}.png", full_page=True)
        if os.environ.get("DOCS_CAPTURES") == "1":
            GUIDE_IMAGES.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(GUIDE_IMAGES / f"instruction-{name}.png"), full_page=True)


def open_page(browser, problems, width):
    """A page in its own context (its own cookies: one person), watched like the `browse` fixture's."""
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    page.route("**/*", problems.on_request)
    page.on("console", problems.on_console)
    page.on("pageerror", problems.on_page_error)
    page.on("response", problems.on_response)
    page.set_viewport_size({"width": width, "height": 900})
    return page


def log_in(page, live_server, username):
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Connexion").click()
    assert page.url.endswith("/admin/"), page.url


def click_and_wait(page, locator):
    with page.expect_navigation():
        locator.click()
    page.wait_for_load_state("load")


def mails_to_applicant():
    return list(OutboxEmail.objects.filter(to=[EMAIL]).order_by("pk"))


def test_the_whole_life_of_a_microproject_from_the_form_to_the_public_catalogue(
    browse, live_server, content, django_user_model, tmp_path, settings, clamd_socket
):
    settings.CLAMAV_SOCKET = clamd_socket  # every file is scanned for real: clean ones become downloadable
    checks = Checks()
    browse.problems.expected_console.append(AXE_IMPORT)
    problems = browse.problems
    CallFactory(title="Appel à projets 2026", max_amount=Decimal("1500"))
    instructor = django_user_model.objects.create_user(
        "claire", password=PASSWORD, is_staff=True, first_name="Claire", last_name="Dupont"
    )
    instructor.groups.add(Group.objects.get_or_create(name=ROLE_INSTRUCTORS)[0])
    editor = django_user_model.objects.create_user("rene", password=PASSWORD, is_staff=True, first_name="René")
    editor.groups.add(Group.objects.get_or_create(name=ROLE_EDITORS)[0])
    editor.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="contrat_ville", codename__endswith="_project")
    )

    # The association applies, on a phone, with its statutes.
    public = browse
    public.set_viewport_size({"width": 390, "height": 844})
    statutes = tmp_path / "statuts.pdf"
    statutes.write_bytes(PDF)
    public.goto(live_server.url + reverse("microprojets:apply"))
    checks.axe_check(public)
    public.locator("#id_porteur_kind_0").check()
    for selector, value in [
        ("#id_organisation_name", "Association Vivre ensemble"),
        ("#id_rna", "W522001234"),
        ("#id_first_name", "Camille"),
        ("#id_last_name", "Martin"),
        ("#id_role", "Présidente"),
        ("#id_email", EMAIL),
        ("#id_phone", "06 12 34 56 78"),
        ("#id_address", "3 rue des Tulipes, 52200 Langres"),
        ("#id_title", "Jardin partagé des Franchises"),
        ("#id_summary", "Des bacs de culture pour les familles du quartier."),
        ("#id_description", "Quatre bacs et des ateliers de jardinage le samedi."),
        ("#id_objectives", "Créer du lien entre voisins."),
        ("#id_audience", "Familles du quartier"),
        ("#id_participants_count", "30"),
        ("#id_place", "Pied des immeubles"),
        ("#id_starts_on", "01/06/2030"),
        ("#id_ends_on", "30/06/2030"),
        ("#id_depenses-0-label", "Bacs de culture"),
        ("#id_depenses-0-amount", "1000"),
        ("#id_amount_requested", "800"),
        ("#id_ressources-0-label", "Apport de l’association"),
        ("#id_ressources-0-amount", "200"),
    ]:
        public.locator(selector).fill(value)
    public.locator("#id_quartier").select_option(index=1)
    public.locator("#id_pillar_1").check()  # (the first choice is « Je ne sais pas »)
    public.locator("#id_statutes").set_input_files(str(statutes))
    click_and_wait(public, public.locator("button[value=recap]"))
    assert public.locator("h1").inner_text() == "Récapitulatif de votre dossier"
    checks.axe_check(public)
    public.locator("#id_engagement").check()
    click_and_wait(public, public.locator("main button[type=submit]").last)
    application = Application.objects.get()
    assert application.pillar_id is not None and application.quartier_id is not None
    assert public.locator(".reference").inner_text() == application.reference
    checks.axe_check(public)
    checks.shot(public, "01-accuse-de-reception")
    assert application.attachments.get().scan_status == Attachment.ScanStatus.CLEAN

    # The tracking link, from the acknowledgement e-mail.
    (mail,) = mails_to_applicant()
    tracking = re.search(r"https?://\S+/microprojets/suivi/\S+/", mail.body_text).group(0)

    def tracking_shows(status, newest=None):
        """The applicant's tracking page: the status, and the timeline's newest entry (the status change)."""
        public.goto(tracking)
        assert public.locator(".status").inner_text() == status
        first = public.locator(".timeline > li").first.inner_text()
        assert (newest or status) in first, first
        checks.axe_check(public)

    tracking_shows("Reçu")
    assert "statuts.pdf" in public.locator("main").inner_text()

    # The instructor opens it from the list and starts the instruction.
    staff = open_page(public.context.browser, problems, 1280)
    log_in(staff, live_server, "claire")
    checks.axe_check(staff)  # the instructors' dashboard
    staff.goto(live_server.url + reverse("admin:microprojets_application_changelist"))
    checks.axe_check(staff)
    click_and_wait(staff, staff.get_by_role("link", name=application.reference))
    checks.axe_check(staff)
    click_and_wait(staff, staff.get_by_role("button", name="Commencer l’instruction"))
    assert "En instruction" in staff.locator(".instruction-status").inner_text()
    checks.axe_check(staff)
    tracking_shows("En instruction")

    # A complement, with its reason.
    staff.locator("#commentaire-incomplete").fill("Merci d’envoyer le devis des bacs de culture.")
    click_and_wait(staff, staff.get_by_role("button", name="Demander un complément"))
    assert "Complément demandé" in staff.locator(".instruction-status").inner_text()
    checks.axe_check(staff)
    checks.shot(staff, "02-admin-complement")
    tracking_shows("Complément demandé")
    assert "Merci d’envoyer le devis des bacs de culture." in public.locator(".timeline").inner_text()
    checks.shot(public, "03-suivi-complement")

    # The applicant answers from the tracking page, with the quote: back « En instruction ».
    quote = tmp_path / "devis.pdf"
    quote.write_bytes(PDF)
    click_and_wait(public, public.get_by_role("link", name="Envoyer un complément"))
    checks.axe_check(public)
    public.get_by_label("Votre message au service").fill("Voici le devis du magasin.")
    public.get_by_label("Documents demandés (facultatif)").set_input_files(str(quote))
    click_and_wait(public, public.get_by_role("button", name="Envoyer au service"))
    assert "Votre complément est envoyé" in public.locator("main").inner_text()
    checks.axe_check(public)
    tracking_shows("En instruction")
    assert "devis.pdf" in public.locator(".timeline").inner_text()
    staff.reload()
    assert "« devis.pdf »" in staff.locator("#echanges").inner_text()

    # The committee's session, its three members present; the application on its agenda.
    staff.goto(live_server.url + reverse("admin:microprojets_committeesession_changelist"))
    checks.axe_check(staff)
    staff.goto(live_server.url + reverse("admin:microprojets_committeesession_add"))
    checks.axe_check(staff)
    day = timezone.localdate() + timedelta(days=7)
    staff.locator("#id_date").fill(day.strftime("%d/%m/%Y"))
    staff.get_by_label("Lieu").fill("Maison de quartier des Franchises")
    staff.get_by_label("Appel à projets 2026").check()
    members = [("Alice Habitante", "habitant"), ("Bruno Élu", "elu"), ("Chloé Agent", "agent")]
    for i, (name, role) in enumerate(members):
        staff.locator(f"[name='members-{i}-name']").fill(name)
        staff.locator(f"[name='members-{i}-role']").select_option(role)
        staff.locator(f"[name='members-{i}-present']").check()
    click_and_wait(staff, staff.get_by_role("button", name="Enregistrer", exact=True))
    assert "/seance/" in staff.url or staff.locator("h1").count(), staff.url
    staff.locator("h1").first.wait_for()
    checks.axe_check(staff)
    session_url = staff.url
    staff.get_by_label("Dossier à inscrire").select_option(str(application.pk))
    click_and_wait(staff, staff.get_by_role("button", name="Inscrire à l’ordre du jour"))
    assert f"Dossier {application.reference} inscrit" in staff.locator(".messagelist").inner_text()
    assert "Quorum\natteint" in staff.locator("#content-main").inner_text().replace("\t", "\n")
    checks.axe_check(staff)
    tracking_shows("Inscrit au comité")
    assert f"Comité de sélection : {date_format(day, 'l j F Y')}." in public.locator("main").inner_text()

    # Three votes « pour », 300 € proposed, the decisions published in one action.
    for name, _role in members:
        staff.get_by_role("group", name=f"Vote de {name}").get_by_label("Pour").check()
    click_and_wait(staff, staff.get_by_role("button", name=f"Enregistrer les votes sur {application.reference}"))
    assert "3 vote(s) enregistré(s)" in staff.locator(".messagelist").inner_text()
    checks.axe_check(staff)
    staff.get_by_label("Retenir", exact=True).check()
    staff.get_by_label("Montant accordé (€)").fill("300")
    click_and_wait(staff, staff.get_by_role("button", name=f"Enregistrer la décision pour {application.reference}"))
    assert "Décision proposée enregistrée" in staff.locator(".messagelist").inner_text()
    checks.axe_check(staff)
    checks.shot(staff, "04-admin-seance")
    tracking_shows("Inscrit au comité")  # nothing is told before the publication
    assert "300" not in public.locator(".timeline").inner_text()
    before = len(mails_to_applicant())
    click_and_wait(staff, staff.get_by_role("link", name="Publier les décisions…"))
    checks.axe_check(staff)
    click_and_wait(staff, staff.get_by_role("button", name="Confirmer : publier les 1 décision"))
    assert "Décisions publiées : 1 dossier(s)" in staff.locator(".messagelist").inner_text()
    assert staff.url == session_url
    checks.axe_check(staff)
    click_and_wait(staff, staff.get_by_role("link", name="Procès-verbal (page imprimable)"))
    minutes = staff.locator("#content-main").inner_text()
    assert "Alice Habitante" in minutes and "Décision : Retenir, montant accordé 300,00 €" in minutes
    checks.axe_check(staff)
    checks.shot(staff, "05-admin-proces-verbal")

    # The applicant is notified once, and sees the grant.
    notified = mails_to_applicant()[before:]
    assert len(notified) == 1, [m.subject for m in notified]
    assert "Votre projet est retenu : la Ville vous accorde 300,00" in notified[0].body_text, notified[0].body_text
    tracking_shows("Retenu")
    assert "300,00 €" in public.locator("main").inner_text()
    checks.shot(public, "06-suivi-retenu")

    # Paid: 300 €, from the application's « Versement et bilan » page.
    staff.goto(live_server.url + reverse("admin:microprojets_application_change", args=[application.pk]))
    checks.axe_check(staff)
    click_and_wait(staff, staff.get_by_role("link", name="Ouvrir la page « Versement et bilan » du dossier"))
    checks.axe_check(staff)
    staff.get_by_label("Montant versé (€)").fill("300")
    staff.get_by_label("Référence du mandat de paiement").fill("M-2026-17")
    click_and_wait(staff, staff.get_by_role("button", name="Enregistrer le versement"))
    assert "Versement enregistré." in staff.locator(".messagelist").inner_text()
    checks.axe_check(staff)
    tracking_shows("Versé")

    # The report, with a photo the Ville may publish and its description.
    assert public.get_by_role("heading", name="Envoyer le bilan de votre projet").is_visible()
    photo = tmp_path / "jardin.jpg"
    photo.write_bytes(make_image("JPEG", (800, 600)))
    public.get_by_label("Comment le projet s’est-il déroulé ?").fill("Quatre bacs plantés avec douze familles.")
    public.get_by_label("Nombre de personnes touchées").fill("45")
    public.locator("#id_photo-0-photo").set_input_files(str(photo))
    public.locator("#id_photo-0-may_publish").check()
    public.get_by_label("Description de la photo 1").fill("Des enfants plantent des tomates dans un bac")
    click_and_wait(public, public.get_by_role("button", name="Envoyer le bilan au service"))
    assert "Votre bilan est envoyé au service" in public.locator("main").inner_text()
    checks.axe_check(public)
    checks.shot(public, "07-suivi-bilan-envoye")
    tracking_shows("Bilan reçu")

    # Closed, then the draft project of the catalogue.
    staff.reload()
    assert "Des enfants plantent des tomates dans un bac" in staff.locator("#content-main").inner_text()
    checks.axe_check(staff)
    staff.get_by_label("Clôturer le dossier").check()
    click_and_wait(staff, staff.get_by_role("button", name="Enregistrer la décision"))
    assert "Dossier clôturé." in staff.locator(".messagelist").inner_text()
    checks.axe_check(staff)
    tracking_shows("Clôturé")
    click_and_wait(staff, staff.get_by_role("button", name="Créer le projet du catalogue"))
    created = staff.locator(".messagelist").inner_text()
    assert "est créé en brouillon" in created and f"Un membre du groupe « {ROLE_EDITORS} »" in created
    checks.axe_check(staff)
    checks.shot(staff, "08-admin-projet-cree")
    project = Project.objects.get(source_application=application)
    assert (project.is_published, project.pillar_id) == (False, application.pillar_id)
    public.goto(live_server.url + reverse("contrat_ville:projects"))
    assert project.title not in public.locator("main").inner_text()  # a draft: not public yet
    assert public.goto(live_server.url + reverse("contrat_ville:project", args=[project.slug])).status == 404

    # An editor of the catalogue publishes it.
    editor_page = open_page(public.context.browser, problems, 1280)
    log_in(editor_page, live_server, "rene")
    editor_page.goto(live_server.url + reverse("admin:contrat_ville_project_change", args=[project.pk]))
    editor_page.get_by_label("Publié", exact=True).check()
    click_and_wait(editor_page, editor_page.get_by_role("button", name="Enregistrer", exact=True))
    assert "a été modifié avec succès" in editor_page.locator(".messagelist").inner_text()
    editor_page.context.close()

    # The public catalogue shows it, with the photo allowed and its description.
    public.set_viewport_size({"width": 1280, "height": 900})
    public.goto(live_server.url + reverse("contrat_ville:projects"))
    checks.axe_check(public)
    click_and_wait(public, public.get_by_role("link", name=project.title).first)
    assert public.locator("h1").inner_text() == project.title
    image = public.get_by_role("img", name="Des enfants plantent des tomates dans un bac")
    image.scroll_into_view_if_needed()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    checks.axe_check(public)
    checks.shot(public, "09-catalogue-projet")
    staff.context.close()

    application.refresh_from_db()
    assert application.status == S.CLOSED
    assert (application.amount_granted, application.amount_paid) == (Decimal("300"), Decimal("300"))
    assert list(application.status_changes.values_list("to_status", flat=True)) == [
        S.SUBMITTED, S.UNDER_REVIEW, S.INCOMPLETE, S.UNDER_REVIEW, S.ON_AGENDA, S.ACCEPTED, S.PAID,
        S.REPORT_RECEIVED, S.CLOSED,
    ]  # fmt: skip
    print(f"\naxe-core : {checks.axe} pages vérifiées, 0 violation")
