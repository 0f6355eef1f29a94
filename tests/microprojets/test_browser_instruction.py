"""An instructor asks for a complement from the admin page; the applicant answers from the tracking page with a
file; the application is back « En instruction ». axe-core on the admin pages this adds and the tracking states."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from langres_portal.core.permissions import ROLE_INSTRUCTORS
from microprojets import workflow
from microprojets.models import Application
from microprojets.services import review
from tests.browser import AXE_IMPORT, assert_no_axe_violations

from .conftest import PDF
from .factories import ApplicationFactory

pytestmark = [pytest.mark.browser]
S = workflow.Status


@pytest.fixture
def instructor(django_user_model, content):
    user = django_user_model.objects.create_user(
        "claire", password="motdepasse-solide-123", is_staff=True, first_name="Claire", last_name="Dupont"
    )
    user.groups.add(Group.objects.get_or_create(name=ROLE_INSTRUCTORS)[0])
    return user


def log_in(page, live_server):
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Nom d’utilisateur").fill("claire")
    page.get_by_label("Mot de passe").fill("motdepasse-solide-123")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/admin/")


def test_instructor_asks_for_a_complement_and_the_applicant_answers_with_a_file(
    browse, live_server, instructor, tmp_path
):
    shots = Path(os.environ.get("SCREENSHOTS_DIR", tmp_path))  # to look at the pages
    page = browse
    page.problems.expected_console.append(AXE_IMPORT)
    application = ApplicationFactory(status=S.UNDER_REVIEW, title="Jardin des Tulipes")
    review.add_note(application_id=application.pk, text="Porteur déjà aidé en 2024.", by=instructor)
    log_in(page, live_server)

    # The instructor opens the application from the list and asks for a complement, with its reason.
    page.goto(live_server.url + reverse("admin:microprojets_application_changelist"))
    page.get_by_role("link", name=application.reference).click()
    assert page.locator("#instruction-statut").inner_text() == "Instruction"
    assert_no_axe_violations(page)
    reason = page.locator("#commentaire-incomplete")
    reason.fill("Merci d’envoyer le devis du matériel.")
    with page.expect_navigation():
        page.get_by_role("button", name="Demander un complément").click()
    assert "Complément demandé" in page.locator(".messagelist").inner_text()
    page.get_by_label("Message au porteur (obligatoire)").fill("Le devis peut être une simple estimation.")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer au porteur").click()
    assert "Message envoyé" in page.locator(".messagelist").inner_text()
    assert_no_axe_violations(page)  # with buttons, a message, the thread and a note
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(shots / f"admin-{width}.png"), full_page=True)

    # The applicant reads it on the tracking page and answers with a file.
    applicant = page.context.browser.new_context(locale="fr-FR")
    public = applicant.new_page()
    public.route("**/*", page.problems.on_request)
    public.on("console", page.problems.on_console)
    public.on("pageerror", page.problems.on_page_error)
    public.set_viewport_size({"width": 390, "height": 844})
    public.goto(live_server.url + application.get_tracking_url())
    assert "Merci d’envoyer le devis du matériel." in public.locator("main").inner_text()
    assert "Le devis peut être une simple estimation." in public.locator("main").inner_text()
    assert "Porteur déjà aidé" not in public.content()
    assert_no_axe_violations(public)
    quote = tmp_path / "devis.pdf"
    quote.write_bytes(PDF)
    with public.expect_navigation():
        public.get_by_role("link", name="Envoyer un complément").click()
    public.get_by_label("Votre message au service").fill("Voici le devis.")
    public.get_by_label("Documents demandés (facultatif)").set_input_files(str(quote))
    with public.expect_navigation():
        public.get_by_role("button", name="Envoyer au service").click()
    assert "En instruction" in public.locator(".status").inner_text()
    assert "Votre complément est envoyé" in public.locator("main").inner_text()
    assert "devis.pdf" in public.locator(".timeline").inner_text()
    assert_no_axe_violations(public)
    public.screenshot(path=str(shots / "tracking-390.png"), full_page=True)
    applicant.close()

    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    page.reload()
    assert "message du porteur" in page.locator("#echanges").inner_text()
    assert "« devis.pdf »" in page.locator("#echanges").inner_text()


def test_withdrawal_summary_and_call_message_pages_have_no_axe_violation(browse, live_server, instructor):
    page = browse
    page.problems.expected_console.append(AXE_IMPORT)
    application = ApplicationFactory(status=S.SUBMITTED)
    page.goto(live_server.url + application.get_tracking_url())
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Retirer ma demande").click()
    assert_no_axe_violations(page)
    page.get_by_label("Pourquoi retirez-vous votre demande ? (facultatif)").fill("Le projet se fera l’an prochain.")
    with page.expect_navigation():
        page.get_by_role("button", name="Je retire ma demande").click()
    assert "Retiré" in page.locator(".status").inner_text()
    assert page.get_by_role("link", name="Retirer ma demande").count() == 0
    assert_no_axe_violations(page)
    assert Application.objects.get(pk=application.pk).status == S.WITHDRAWN

    log_in(page, live_server)
    page.goto(live_server.url + reverse("admin:microprojets_application_summary", args=[application.pk]))
    assert_no_axe_violations(page)
    page.goto(live_server.url + reverse("admin:microprojets_call_message", args=[application.call_id]))
    page.evaluate("document.querySelector('textarea').removeAttribute('required')")  # the server's own check
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer à tous les porteurs").click()
    assert page.title().startswith("Erreur – ")
    assert_no_axe_violations(page)
    page.goto(live_server.url + reverse("admin:microprojets_application_change", args=[application.pk]))
    assert "Aucun changement de statut n’est possible" in page.locator("#instruction").inner_text()
    assert_no_axe_violations(page)


def test_the_application_list_and_a_long_titled_application_pass_axe(browse, live_server, instructor):
    """The breadcrumbs' links are told apart from their text without colour, whatever the title's length, and the
    filters' links are targets of 24 px at least."""
    page = browse
    page.problems.expected_console.append(AXE_IMPORT)
    application = ApplicationFactory(status=S.SUBMITTED, title="Jardin partagé des Franchises et ateliers du samedi")
    log_in(page, live_server)
    page.goto(live_server.url + reverse("admin:microprojets_application_changelist"))
    assert page.locator("#changelist-filter").count() == 1
    assert_no_axe_violations(page)
    page.goto(live_server.url + reverse("admin:microprojets_application_change", args=[application.pk]))
    assert application.title in page.locator(".breadcrumbs").inner_text()
    assert_no_axe_violations(page)
