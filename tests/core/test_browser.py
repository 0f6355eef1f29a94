"""The site shell in a real browser: axe-core on every public page, keyboard, phone width."""

import pytest
from django.urls import reverse

from langres_portal.core.hooks import all_sitemaps
from tests.browser import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("content")]


def public_urls():
    """Every URL of the sitemap (each app adds its pages there), plus the 404 page."""
    urls = []
    for sitemap_class in all_sitemaps().values():
        sitemap = sitemap_class()
        urls += [sitemap.location(item) for item in sitemap.items()]
    return urls


def test_every_public_page_has_no_axe_violation(browse, live_server):
    urls = public_urls()
    assert len(urls) >= 10
    for url in urls + ["/page-inexistante/"]:
        browse.goto(live_server.url + url)
        assert browse.locator("h1").count() == 1, url
        assert_no_axe_violations(browse)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(browse, live_server):
    browse.goto(live_server.url + reverse("home"))
    browse.keyboard.press("Tab")
    skip = browse.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    browse.keyboard.press("Enter")
    assert browse.evaluate("document.activeElement.id") == "contenu"


@pytest.mark.parametrize("width", [320, 390])
def test_pages_fit_a_phone_without_horizontal_scrolling(browse, live_server, width):
    browse.set_viewport_size({"width": width, "height": 800})
    for url in public_urls():
        browse.goto(live_server.url + url)
        overflow = browse.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{url} déborde de {overflow} px à {width} px de large"


def test_phone_menu_opens_with_the_keyboard(browse, live_server):
    browse.set_viewport_size({"width": 390, "height": 800})
    browse.goto(live_server.url + reverse("home"))
    toggler = browse.locator(".navbar-toggler")
    assert browse.locator("#menu-principal a").first.is_hidden()
    toggler.focus()
    browse.keyboard.press("Enter")
    browse.locator("#menu-principal a").first.wait_for(state="visible")
    assert toggler.get_attribute("aria-expanded") == "true"
    assert_no_axe_violations(browse)


def test_page_zoomed_to_200_percent_keeps_its_content_reachable(browse, live_server):
    # A 1280 px screen at 200 % zoom lays the page out like a 640 px wide one.
    browse.set_viewport_size({"width": 640, "height": 720})
    browse.goto(live_server.url + reverse("accessibility"))
    assert browse.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert browse.get_by_role("link", name="Accessibilité : non conforme").is_visible()


def test_the_axe_harness_does_report_violations(browse, live_server):
    browse.goto(live_server.url + reverse("home"))
    browse.problems.expected_console.append("/x.png")  # the broken image added below, on purpose
    browse.evaluate("document.querySelector('h1').insertAdjacentHTML('afterend', '<img src=\"/x.png\">')")
    with pytest.raises(AssertionError, match="image-alt"):
        assert_no_axe_violations(browse)


def test_staff_edits_the_phone_in_the_admin_and_every_footer_shows_it(browse, live_server, staff_user):
    browse.goto(live_server.url + reverse("admin:login"))
    browse.get_by_label("Nom d’utilisateur").fill("agent")
    browse.get_by_label("Mot de passe").fill("motdepasse-solide-123")
    browse.get_by_role("button", name="Connexion").click()
    browse.goto(live_server.url + reverse("admin:core_siteidentity_changelist"))
    browse.locator("#result_list").get_by_role("link", name="Service Politique de la ville").first.click()
    browse.get_by_label("Téléphone").fill("03 25 11 22 33")
    browse.get_by_role("button", name="Enregistrer", exact=True).click()
    assert "a été modifié avec succès" in browse.locator(".messagelist").inner_text()
    for url in public_urls()[:6]:
        browse.goto(live_server.url + url)
        assert browse.locator(".site-footer").get_by_role("link", name="03 25 11 22 33").count() == 1


def test_the_browse_fixture_sees_uncaught_exceptions_and_console_errors(browse, live_server):
    browse.goto(live_server.url + reverse("home"))
    browse.evaluate("setTimeout(() => { throw new Error('panne du script') }); console.error('erreur signalée')")
    browse.wait_for_timeout(300)
    assert browse.problems.page_errors == ["Error: panne du script"]
    assert [e for e in browse.problems.console_errors if e.startswith("erreur signalée")]
    browse.problems.page_errors.clear()  # caused on purpose: the fixture's own check would fail the test
    browse.problems.console_errors.clear()
