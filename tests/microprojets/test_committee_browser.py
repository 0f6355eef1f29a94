"""A committee of three members meets, votes, grants 300 €, and publishes; axe-core on each committee page."""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from microprojets.models import Application, CommitteeSession
from tests.browser import assert_no_axe_violations

from .factories import ApplicationFactory, CallFactory

pytestmark = [pytest.mark.browser]
SHOTS = Path(os.environ.get("SCREENSHOTS_DIR", "")) if os.environ.get("SCREENSHOTS_DIR") else None


def shoot(page, name):
    """Screenshots for a person to look at (SCREENSHOTS_DIR=…): a phone and a desktop width."""
    if SHOTS is None:
        return
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def check_page(page, path_end):
    """Wait for the page a click opened (a busy machine is slow), then run axe-core on it."""
    page.wait_for_url(f"**{path_end}*")
    page.wait_for_load_state("load")
    page.locator("h1").first.wait_for()
    assert_no_axe_violations(page)


def log_in(page, live_server):
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Nom d’utilisateur").fill("agent")
    page.get_by_label("Mot de passe").fill("motdepasse-solide-123")
    page.get_by_role("button", name="Connexion").click()


def test_a_committee_of_three_grants_300_euros_and_the_applicant_sees_it(browse, live_server, content, staff_user):
    page = browse
    call = CallFactory(title="Appel à projets 2026", max_amount=Decimal("1500"))
    application = ApplicationFactory(call=call, status=Application.Status.UNDER_REVIEW, title="Jardin des Tulipes")
    log_in(page, live_server)

    # The session and its three members, present.
    page.goto(live_server.url + reverse("admin:microprojets_committeesession_add"))
    day = timezone.localdate() + timedelta(days=7)
    page.locator("#id_date").fill(day.strftime("%d/%m/%Y"))
    page.get_by_label("Lieu").fill("Maison de quartier des Franchises")
    page.get_by_label("Appel à projets 2026").check()
    for i, (name, role) in enumerate(
        [("Alice Habitante", "habitant"), ("Bruno Élu", "elu"), ("Chloé Agent", "agent")]
    ):
        page.locator(f"[name='members-{i}-name']").fill(name)
        page.locator(f"[name='members-{i}-role']").select_option(role)
        page.locator(f"[name='members-{i}-present']").check()
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    session = CommitteeSession.objects.get()
    session_url = reverse("admin:microprojets_committeesession_session", args=[session.pk])
    check_page(page, session_url)

    # On the agenda, three votes.
    page.get_by_label("Dossier à inscrire").select_option(str(application.pk))
    page.get_by_role("button", name="Inscrire à l’ordre du jour").click()
    assert f"Dossier {application.reference} inscrit" in page.locator(".messagelist").inner_text()
    for name, choice in [("Alice Habitante", "Pour"), ("Bruno Élu", "Pour"), ("Chloé Agent", "Abstention")]:
        page.get_by_role("group", name=f"Vote de {name}").get_by_label(choice).check()
    page.get_by_role("button", name=f"Enregistrer les votes sur {application.reference}").click()
    assert "3 vote(s) enregistré(s)" in page.locator(".messagelist").inner_text()

    # An amount over the request is refused at its field, what was typed is kept.
    page.get_by_label("Retenir", exact=True).check()
    page.get_by_label("Montant accordé (€)").fill("900")
    page.get_by_role("button", name=f"Enregistrer la décision pour {application.reference}").click()
    assert "ne peut pas dépasser le montant demandé (800,00 €)" in page.locator("#erreurs").inner_text()
    assert page.title().startswith("Erreur – ")
    assert page.get_by_label("Montant accordé (€)").input_value() == "900"
    assert_no_axe_violations(page)
    page.get_by_label("Montant accordé (€)").fill("300")
    page.get_by_role("button", name=f"Enregistrer la décision pour {application.reference}").click()
    assert "Décision proposée enregistrée" in page.locator(".messagelist").inner_text()
    assert_no_axe_violations(page)
    shoot(page, "committee-session")

    # The minutes before publication, then the decisions published in one action, after a confirmation.
    page.get_by_role("link", name="Procès-verbal (page imprimable)").click()
    assert "Projet de procès-verbal" in page.locator(".committee-draft").inner_text()
    check_page(page, "/proces-verbal/")
    page.go_back()
    page.get_by_role("link", name="Publier les décisions…").click()
    check_page(page, "/publier/")
    shoot(page, "committee-publish")
    page.get_by_role("button", name="Confirmer : publier les 1 décision").click()
    assert "Décisions publiées : 1 dossier(s)" in page.locator(".messagelist").inner_text()
    check_page(page, session_url)
    page.get_by_role("link", name="Procès-verbal (page imprimable)").click()
    check_page(page, "/proces-verbal/")
    text = page.locator("#content-main").inner_text()
    assert "Alice Habitante" in text and "Décision : Retenir, montant accordé 300,00 €" in text
    shoot(page, "committee-minutes")
    page.go_back()
    page.get_by_role("link", name="Ordre du jour (page imprimable)").click()
    check_page(page, "/ordre-du-jour/")

    # The applicant's tracking page.
    page.goto(live_server.url + application.get_tracking_url())
    assert page.locator(".status").inner_text() == "Retenu"
    assert "300,00 €" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    shoot(page, "committee-tracking")


def test_the_committee_changelist_passes_axe(browse, live_server, content, staff_user):
    from .factories import committee

    committee(CallFactory())
    log_in(browse, live_server)
    browse.goto(live_server.url + reverse("admin:microprojets_committeesession_changelist"))
    assert_no_axe_violations(browse)
