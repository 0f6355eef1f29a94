"""An association applies from a phone with the keyboard only; axe-core on every state of the form."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from langres_portal.core.models import OutboxEmail
from microprojets.models import Application
from tests.browser import assert_no_axe_violations

from .conftest import PDF
from .factories import LONG_WORD, ApplicationFactory, long_application

pytestmark = [pytest.mark.browser]


def tab_to(page, selector, limit=150):
    """Press Tab until the element matching `selector` has the focus (keyboard only, no click)."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} jamais atteint au clavier")


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.type(text)


def test_association_applies_on_a_phone_with_the_keyboard_only(browse, live_server, call, tmp_path):
    page = browse
    page.set_viewport_size({"width": 390, "height": 844})
    statutes = tmp_path / "statuts.pdf"
    statutes.write_bytes(PDF)
    # The file dialog opened from the keyboard is answered here (set up first: interception is asynchronous).
    page.on("filechooser", lambda chooser: chooser.set_files(str(statutes)))
    page.goto(live_server.url + reverse("microprojets:apply"))
    assert page.locator("h1").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert_no_axe_violations(page)

    # Submitting the empty form shows the error summary, focused, and the page title says so.
    tab_to(page, "button[value=recap]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Erreur – ")
    assert page.evaluate("document.activeElement.id") == "erreurs"
    assert_no_axe_violations(page)

    page.keyboard.press("Tab")  # the first link of the summary
    tab_to(page, "#id_porteur_kind_0")
    page.keyboard.press("Space")
    type_into(page, "#id_organisation_name", "Association Vivre ensemble")
    type_into(page, "#id_rna", "W522001234")
    type_into(page, "#id_first_name", "Camille")
    type_into(page, "#id_last_name", "Martin")
    type_into(page, "#id_role", "Présidente")
    type_into(page, "#id_email", "camille@example.org")
    type_into(page, "#id_phone", "06 12 34 56 78")
    type_into(page, "#id_address", "3 rue des Tulipes, 52200 Langres")
    type_into(page, "#id_title", "Jardin partagé")
    type_into(page, "#id_summary", "Des bacs de culture pour les familles.")
    type_into(page, "#id_description", "Quatre bacs et des ateliers.")
    type_into(page, "#id_objectives", "Créer du lien entre voisins.")
    type_into(page, "#id_audience", "Familles du quartier")
    type_into(page, "#id_participants_count", "30")
    tab_to(page, "#id_quartier")
    page.keyboard.press("ArrowDown")
    type_into(page, "#id_place", "Pied des immeubles")
    type_into(page, "#id_starts_on", "01/06/2030")
    type_into(page, "#id_ends_on", "30/06/2030")
    tab_to(page, "#id_pillar_0")
    page.keyboard.press("Space")
    type_into(page, "#id_depenses-0-label", "Bacs de culture")
    type_into(page, "#id_depenses-0-amount", "1000")
    type_into(page, "#id_amount_requested", "800")
    type_into(page, "#id_ressources-0-label", "Apport de l’association")
    type_into(page, "#id_ressources-0-amount", "200")
    assert page.locator("#budget-ecart").inner_text() == "Le budget est équilibré."
    assert "1\u202f000,00\xa0€" in page.locator("#total-ressources").inner_text()

    tab_to(page, "#id_statutes")
    page.keyboard.press("Space")
    for _ in range(50):  # (wait_for_function would need 'unsafe-eval', which the site's CSP rightly refuses)
        if page.evaluate("document.querySelector('#id_statutes').files.length") == 1:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("document.querySelector('#id_statutes').files[0].name") == "statuts.pdf"
    tab_to(page, "button[value=recap]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/recapitulatif/")

    assert page.locator("h1").inner_text() == "Récapitulatif de votre dossier"
    assert "statuts.pdf" in page.content()
    assert_no_axe_violations(page)
    tab_to(page, "#id_engagement")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accuse-de-reception/")

    application = Application.objects.get()
    assert page.locator(".reference").inner_text() == application.reference
    assert_no_axe_violations(page)

    mail = OutboxEmail.objects.get(to=["camille@example.org"])
    link = re.search(r"https?://\S+/microprojets/suivi/\S+/", mail.body_text).group(0)
    page.goto(link)
    assert page.locator("h1").inner_text() == f"Suivi du dossier {application.reference}"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert_no_axe_violations(page)


def test_eligibility_result_and_resend_link_pages_have_no_axe_violation(browse, live_server, call):
    browse.goto(
        live_server.url
        + reverse("microprojets:eligibility")
        + "?collective=non&non_profit=nsp&residents=oui&dates=non&amount=99999"
    )
    assert browse.locator("h2", has_text="ne semble pas correspondre").count() == 1
    assert_no_axe_violations(browse)
    browse.goto(live_server.url + reverse("microprojets:resend_link"))
    browse.locator("#id_email").fill("pas-une-adresse")
    with browse.expect_navigation():
        browse.locator("button[type=submit]").click()
    assert browse.title().startswith("Erreur – ")
    assert_no_axe_violations(browse)


def test_draft_complement_and_closed_pages_have_no_axe_violation(browse, live_server, call, tmp_path):
    page = browse
    page.goto(live_server.url + reverse("microprojets:apply"))
    page.locator("#id_title").fill("Projet à finir")
    bad = tmp_path / "statuts.pdf"
    bad.write_bytes(b"MZ\x90\x00 not a pdf")
    page.locator("#id_statutes").set_input_files(str(bad))
    with page.expect_navigation():
        page.locator("button[value=recap]").click()
    assert "n’est ni un PDF" in page.locator("#erreurs").inner_text()
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.locator("button[value=draft]").click()
    assert page.locator("h1").inner_text() == "Votre brouillon est enregistré"
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.locator(".resume-link a").click()
    assert page.locator("#id_title").input_value() == "Projet à finir"
    assert_no_axe_violations(page)

    application = ApplicationFactory(call=call, status=Application.Status.INCOMPLETE)
    application.events.create(status="incomplete", message="Merci d’envoyer le devis.")
    page.goto(live_server.url + application.get_tracking_url())
    with page.expect_navigation():
        page.get_by_role("link", name="Envoyer un complément").click()
    with page.expect_navigation():
        page.locator("button[type=submit]").click()
    assert page.title().startswith("Erreur – ")
    assert_no_axe_violations(page)

    call.closes_at = call.opens_at + timedelta(days=1)
    call.save()
    page.goto(live_server.url + reverse("microprojets:apply"))
    assert "Aucun appel à projets n’est ouvert" in page.content()
    assert_no_axe_violations(page)


def overflowing(page) -> list[str]:
    """Elements wider than the viewport, or a page that scrolls sideways."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const out = [];
            const scroll = document.documentElement.scrollWidth;
            if (scroll > width) out.push('page: ' + scroll);
            for (const el of document.querySelectorAll('main *')) {
                const r = el.getBoundingClientRect();
                if (r.width && (r.right > width + 0.5 || r.left < -0.5)) {
                    out.push(el.tagName + '.' + el.className + ': ' + Math.round(r.left) + '–' + Math.round(r.right));
                }
            }
            return out;
        }"""
    )


def test_receipt_and_tracking_pages_never_overflow_a_320px_screen(browse, live_server, call):
    application = long_application(call)
    browse.set_viewport_size({"width": 320, "height": 640})
    for url in (
        reverse("microprojets:receipt", args=[application.tracking_token]),
        application.get_tracking_url(),
    ):
        browse.goto(live_server.url + url)
        assert LONG_WORD in browse.locator("main").inner_text()  # the whole name, wrapped, not cut
        assert overflowing(browse) == [], url
        assert_no_axe_violations(browse)


def test_broken_budget_count_and_the_already_sent_page_have_no_axe_violation(browse, live_server, call):
    page = browse
    page.goto(live_server.url + reverse("microprojets:apply"))
    page.locator("#id_depenses-0-label").fill("Peinture")
    page.evaluate("document.querySelector('#id_depenses-TOTAL_FORMS').value = 'abc'")
    with page.expect_navigation():
        page.locator("button[value=recap]").click()
    summary_link = page.locator("#erreurs a[href='#budget-depenses']")
    assert summary_link.count() == 1 and "ligne" in summary_link.inner_text()
    assert page.locator("#budget-depenses .budget-error").count() == 1
    assert page.locator("#id_depenses-0-label").input_value() == "Peinture"
    assert_no_axe_violations(page)
    summary_link.click()
    assert page.evaluate("document.activeElement.id") == "budget-depenses"

    application = ApplicationFactory(call=call, source_token="ancien-brouillon")
    page.goto(live_server.url + reverse("microprojets:resume", args=["ancien-brouillon"]))
    assert page.locator("h1").inner_text() == "Ce dossier a déjà été envoyé"
    assert application.tracking_token not in page.content()
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.locator("button[type=submit]", has_text="lien de suivi").click()
    assert page.locator("[role=status]").count() == 1
    assert_no_axe_violations(page)
    page.screenshot(path="/tmp/B_already_sent.png", full_page=True)
