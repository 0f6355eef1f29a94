"""A worried parent on a phone: reads the PRE page, checks the eligibility link, asks to be called back with the
keyboard only, sees the confirmation. axe-core finds nothing on any page or state of the form."""

import re

import pytest
from django.urls import NoReverseMatch, reverse

from pre.models import ContactRequest
from tests.browser import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("content")]

LOOKUP_LINK = "Vérifier si une adresse se trouve dans le quartier prioritaire"


def focused_id(page):
    return page.evaluate("document.activeElement.id")


def wait_for_focus(page, element_id):
    """Focus moves from a deferred script or a fragment navigation: wait for it rather than race it."""
    page.wait_for_function("id => document.activeElement && document.activeElement.id === id", arg=element_id)


def test_parent_on_a_phone_reads_the_page_and_asks_to_be_called_back(browse, live_server):
    page = browse
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + reverse("pre:index"))
    assert page.locator("h1").inner_text() == "Le Programme de Réussite Éducative (PRE)"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert page.get_by_role("heading", name="Pour quels enfants ?").is_visible()
    assert_no_axe_violations(page)

    # The eligibility link goes to the address lookup of the quartiers app (once that app provides it).
    link = page.locator("#pour-qui").get_by_role("link", name=LOOKUP_LINK)
    try:
        reverse("quartiers:address_lookup")
    except NoReverseMatch:
        assert link.count() == 0
    else:
        assert link.get_attribute("href") == "/quartiers/mon-adresse/"
        link.click()
        page.wait_for_url(re.compile(r"/quartiers/mon-adresse/$"))
        assert page.locator("h1").count() == 1
        page.go_back()

    # From the page to the form, with the keyboard.
    cta = page.get_by_role("link", name="Demander à être rappelé par l’équipe")
    cta.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/reussite-educative/contact/$"))
    assert page.locator("#avertissement-message").is_visible()

    # Sent empty by mistake: the errors are listed at the top, which gets the focus.
    page.locator("#submit-id-submit").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#erreurs")
    assert page.title().startswith("Erreur – ")
    wait_for_focus(page, "erreurs")
    assert_no_axe_violations(page)

    # The first error's link leads to the first radio button.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    wait_for_focus(page, "id_requester_type_0")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_name"
    page.keyboard.type("Amina Benali")
    page.keyboard.press("Tab")
    page.keyboard.type("06 12 34 56 78")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_email"
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_preferred_moments_0"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_preferred_moments_3"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_message"  # the honeypot is skipped
    page.keyboard.type("Je voudrais comprendre comment fonctionne le programme.")
    page.keyboard.press("Tab")
    assert focused_id(page) == "submit-id-submit"
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/reussite-educative/contact/envoyee/$"))
    assert page.locator("h1").inner_text() == "Votre demande est bien arrivée"
    assert "trois jours ouvrés" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert_no_axe_violations(page)

    saved = ContactRequest.objects.get()
    assert (saved.requester_type, saved.name, saved.phone) == ("parent", "Amina Benali", "06 12 34 56 78")
    assert saved.preferred_moments == ["evening"]


def test_no_axe_violation_on_any_page_or_state_of_the_form(browse, live_server, settings):
    page = browse
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        for url_name in ["pre:index", "pre:contact", "pre:contact_done"]:
            page.goto(live_server.url + reverse(url_name))
            assert page.locator("h1").count() == 1
            assert_no_axe_violations(page)
    # With an error at every kind of field (radio group, text, checkbox group, textarea).
    page.goto(live_server.url + reverse("pre:contact"))
    page.fill("#id_name", "<b>Nom</b>")
    page.fill("#id_phone", "12")
    page.fill("#id_email", "pas-une-adresse")
    page.evaluate("document.getElementById('id_message').removeAttribute('maxlength')")
    page.fill("#id_message", "x" * 600)
    page.click("#submit-id-submit")
    page.wait_for_selector("#erreurs")
    assert page.locator("#erreurs li").count() == 5
    assert_no_axe_violations(page)
    # Beyond the per-IP limit: the reason at the top, what was typed is kept.
    settings.FORM_RATE_LIMIT_PER_HOUR = 0
    page.goto(live_server.url + reverse("pre:contact"))
    page.check("#id_requester_type_1")
    page.fill("#id_name", "Enseignante")
    page.fill("#id_email", "enseignante@example.org")
    page.click("#submit-id-submit")
    page.wait_for_selector("#erreurs")
    assert "Plusieurs demandes" in page.locator("#erreurs").inner_text()
    assert page.input_value("#id_name") == "Enseignante"
    assert_no_axe_violations(page)
    assert ContactRequest.objects.count() == 0


def test_a_second_submit_of_the_form_is_blocked(browse, live_server):
    # Synthetic submit events do not send the form: they show what the page's script does with a second one.
    browse.goto(live_server.url + reverse("pre:contact"))
    prevented = browse.evaluate(
        """() => {
          const form = document.querySelector("form.pre-contact-form");
          return [1, 2].map(() => {
            const event = new Event("submit", {cancelable: true});
            form.dispatchEvent(event);
            return event.defaultPrevented;
          });
        }"""
    )
    assert prevented == [False, True]
