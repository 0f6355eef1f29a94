"""The admin's rich text editor under the strict CSP: no violation, typed text, bold, a list and a link saved as
the expected HTML, usable with the keyboard, toolbar buttons named (axe-core 0 violations)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from langres_portal.core.models import Page
from tests.browser import AXE_IMPORT, assert_no_axe_violations
from tests.contrat_ville.factories import ProjectFactory

pytestmark = [pytest.mark.browser]


# Every CSP violation of the page, as the browser reports it to the page (added through CDP, before the page's own
# scripts, so the CSP does not apply to it).
WATCH_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


def log_in(page, live_server):
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Nom d’utilisateur").fill("agent")
    page.get_by_label("Mot de passe").fill("motdepasse-solide-123")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/admin/")


def focused_name(page):
    return page.evaluate("document.activeElement.getAttribute('aria-label')")


def tab_until(page, key, reached, most=25):
    for _ in range(most):
        page.keyboard.press(key)
        if reached():
            return
    pytest.fail(f"Non atteint au clavier ({key} × {most}) : {page.evaluate('document.activeElement.outerHTML')[:300]}")


def test_staff_write_with_the_editor_under_the_strict_csp_and_the_keyboard(browse, live_server, staff_user, content):
    page = browse
    legal = Page.objects.get(slug="mentions-legales")
    Page.objects.filter(pk=legal.pk).update(body="")
    log_in(page, live_server)
    page.add_init_script(WATCH_CSP)
    response = page.goto(live_server.url + reverse("admin:core_page_change", args=[legal.pk]))
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy and "'nonce-" in policy  # the import map's nonce, nothing looser
    field = page.locator(".field-body")
    editor = field.get_by_role("textbox", name="Contenu")
    editor.wait_for()
    toolbar = field.get_by_role("toolbar", name="Mise en forme : Contenu")
    for name in ("Paragraphe", "Liste à puces", "Liste numérotée", "Gras", "Italique", "Insérer un lien"):
        assert toolbar.get_by_role("button", name=name).count() == 1

    # Keyboard only: Tab from the summary reaches the toolbar, then the text; Ctrl+B for bold; the toolbar's
    # buttons by Shift+Tab and Enter.
    page.locator("#id_summary").focus()
    tab_until(page, "Tab", lambda: editor.evaluate("e => e === document.activeElement"))
    page.keyboard.type("Bonjour ")
    page.keyboard.press("Control+b")
    page.keyboard.type("à tous")
    page.keyboard.press("Control+b")
    page.keyboard.press("Enter")
    tab_until(page, "Shift+Tab", lambda: focused_name(page) == "Liste à puces")
    page.keyboard.press("Enter")
    assert editor.evaluate("e => e === document.activeElement")  # the button gives the focus back to the text
    page.keyboard.type("Premier point")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # an empty item ends the list
    page.keyboard.type("Le site")
    page.keyboard.press("Shift+Home")
    link_button = toolbar.get_by_role("button", name="Insérer un lien")
    expect(link_button).not_to_have_class(re.compile(r"\bdisabled\b"))  # enabled once the text is selected
    tab_until(page, "Shift+Tab", lambda: focused_name(page) == "Insérer un lien")
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.prose-editor-dialog")
    address = dialog.get_by_label("Adresse du lien")
    address.wait_for()
    assert address.evaluate("e => e === document.activeElement")  # the dialog takes the focus
    page.keyboard.type("https://example.org/")
    page.keyboard.press("Enter")
    assert dialog.count() == 0 or not dialog.is_visible()
    assert page.problems.console_errors == []  # no CSP violation while the editor loads and works
    assert page.evaluate("window.cspViolations") == []
    page.problems.expected_console.append(AXE_IMPORT)
    assert_no_axe_violations(page)  # toolbar buttons named, the text area labelled

    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer et continuer les modifications").click()
    legal.refresh_from_db()
    assert legal.body == (
        "<p>Bonjour <strong>à tous</strong></p><ul><li><p>Premier point</p></li></ul>"
        '<p><a href="https://example.org/" rel="noopener">Le site</a></p>'
    )
    assert "nettoyé" not in page.locator("body").inner_text()  # what the editor makes is never reported
    editor = page.locator(".field-body").get_by_role("textbox", name="Contenu")
    assert editor.locator("strong").inner_text() == "à tous"  # the saved text opens in the editor again


def test_two_editors_and_an_inline_start_on_one_form_without_csp_violation(browse, live_server, staff_user, content):
    page = browse
    project = ProjectFactory(description="<p>Une <strong>description</strong>.</p>", outcome="Deux\n\nparagraphes")
    log_in(page, live_server)
    page.add_init_script(WATCH_CSP)
    page.goto(live_server.url + reverse("admin:contrat_ville_project_change", args=[project.pk]))
    for name in ("Description", "Ce que le projet a permis"):
        page.get_by_role("toolbar", name=f"Mise en forme : {name}").wait_for()
    outcome = page.get_by_role("textbox", name="Ce que le projet a permis")
    assert outcome.locator("p").count() == 2  # stored as two paragraphs, shown as two
    assert page.evaluate("window.cspViolations") == [] and page.problems.console_errors == []
    page.problems.expected_console.append(AXE_IMPORT)
    # The editor's part of the page (the rest of this form is Django's admin and other fields).
    assert_no_axe_violations(page, ".field-description")
