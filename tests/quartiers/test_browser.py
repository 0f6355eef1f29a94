"""The quartiers pages in Chromium: the address check, the map without tiles, keyboard, axe-core."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from quartiers.models import Quartier
from tests.browser import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("content")]


@pytest.fixture
def demo(content):
    """The demo data: example streets of Quartiers Neufs and an example polygon."""
    call_command("generate_demo_data", projects=0, applications=0, verbosity=0)


def test_a_resident_types_a_street_of_quartiers_neufs_and_gets_the_positive_answer(browse, live_server, demo):
    browse.goto(live_server.url + reverse("quartiers:address_lookup"))
    assert_no_axe_violations(browse)  # empty state
    # The suggestions come from the street directory, in a <datalist>.
    assert "Rue des Capucines" in browse.locator("#rues-connues option").evaluate_all("els => els.map(e => e.value)")
    browse.get_by_label("Nom de la rue (obligatoire)").fill("r. des capucines")
    browse.get_by_label("Numéro dans la rue (facultatif)").fill("12")
    with browse.expect_navigation():
        browse.keyboard.press("Enter")
    heading = browse.locator("#titre-reponse")
    assert "Oui : cette adresse est dans le quartier prioritaire Quartiers Neufs" in heading.inner_text()
    assert browse.evaluate("document.activeElement.id") == "reponse"
    assert browse.get_by_role("link", name="Découvrir le quartier Quartiers Neufs").is_visible()
    assert_no_axe_violations(browse)  # answer state


@pytest.mark.parametrize(
    "query", ["?rue=", "?rue=x", "?rue=" + "a" * 500, "?rue=%F0%9F%99%82", "?rue=rue+des+tulipes&numero=douze"]
)
def test_the_error_states_are_accessible_and_focus_the_error_summary(browse, live_server, demo, query):
    browse.goto(live_server.url + reverse("quartiers:address_lookup") + query)
    assert browse.title().startswith("Erreur – ")
    assert browse.evaluate("document.activeElement.id") == "erreurs"
    assert_no_axe_violations(browse)


@pytest.mark.parametrize(
    "query", ["?rue=rue+inconnue", "?rue=av+des+glycines", "?rue=av+des+glycines&numero=14", "?rue=impasse+des+lilas"]
)
def test_the_other_answers_are_accessible(browse, live_server, demo, query):
    browse.goto(live_server.url + reverse("quartiers:address_lookup") + query)
    assert browse.locator("#titre-reponse").is_visible()
    assert_no_axe_violations(browse)


def test_the_map_draws_the_polygon_although_the_tiles_are_blocked(browse, live_server, demo):
    requested = []
    browse.on("request", lambda request: requested.append(request.url))
    browse.goto(live_server.url + reverse("quartiers:detail", args=["quartiers-neufs"]))
    path = browse.locator("#carte-quartier .leaflet-overlay-pane svg path").nth(1)  # after the commune outline
    path.wait_for(state="attached")
    # No request to the tiles host before the visitor asks for the base map.
    assert not [url for url in requested if "tile.openstreetmap.org" in url]
    toggle = browse.get_by_role("button", name="Fond de carte (chargé depuis tile.openstreetmap.org)")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    browse.wait_for_timeout(300)
    # The tiles were asked for and all failed (the `browse` harness aborts them): the polygon is still drawn.
    assert any(url.startswith("https://tile.openstreetmap.org/") for url in requested)
    assert browse.locator("#carte-quartier img.leaflet-tile-loaded").count() == 0
    assert browse.locator("#carte-quartier .leaflet-overlay-pane svg path").count() == 2
    assert len(path.get_attribute("d")) > 10
    box = path.bounding_box()
    assert box["width"] > 20 and box["height"] > 20
    assert browse.locator(".leaflet-control-zoom-in").get_attribute("aria-label") == "Zoom avant"
    assert_no_axe_violations(browse)
    # The choice is remembered on the next page.
    browse.goto(live_server.url + reverse("quartiers:index"))
    assert browse.locator(".map-tiles-toggle").get_attribute("aria-pressed") == "true"


def test_the_index_map_draws_the_commune_and_the_perimeter(browse, live_server, demo):
    browse.goto(live_server.url + reverse("quartiers:index"))
    paths = browse.locator("#carte-quartiers .leaflet-overlay-pane svg path")
    paths.first.wait_for(state="attached")
    assert paths.count() == 2
    assert browse.locator("svg.quartier-thumbnail").count() == 3
    assert_no_axe_violations(browse)


def test_the_detail_page_without_perimeter_shows_the_commune_and_is_accessible(browse, live_server):
    browse.goto(live_server.url + reverse("quartiers:detail", args=["quartiers-neufs"]))
    browse.locator("#carte-quartier .leaflet-overlay-pane svg path").first.wait_for(state="attached")
    assert browse.get_by_role(
        "link", name="Carte officielle du quartier QN05203M sur sig.ville.gouv.fr (nouvelle fenêtre)"
    ).is_visible()
    assert_no_axe_violations(browse)


def test_keyboard_users_can_skip_the_map(browse, live_server, demo):
    browse.goto(live_server.url + reverse("quartiers:detail", args=["quartiers-neufs"]))
    skip = browse.locator(".skip-map")
    skip.focus()
    assert skip.is_visible()
    browse.keyboard.press("Enter")
    assert browse.evaluate("document.activeElement.id") == "carte-quartier-alternative"
    browse.keyboard.press("Tab")
    assert browse.evaluate("document.activeElement.closest('.leaflet-container')") is None


def test_the_address_check_works_without_javascript(browser, live_server, demo):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if live_server.url in route.request.url else route.abort())
    page.goto(live_server.url + reverse("quartiers:address_lookup"))
    page.get_by_label("Nom de la rue (obligatoire)").fill("Avenue des Glycines")
    page.get_by_label("Numéro dans la rue (facultatif)").fill("13")
    page.get_by_role("button", name="Vérifier l’adresse").click()
    assert "Oui : cette adresse est dans le quartier prioritaire" in page.locator("#titre-reponse").inner_text()
    context.close()


def test_pages_fit_a_phone(browse, live_server, demo):
    browse.set_viewport_size({"width": 320, "height": 800})
    qn = Quartier.objects.get(slug="quartiers-neufs")
    for url in [
        reverse("quartiers:index"),
        qn.get_absolute_url(),
        reverse("quartiers:address_lookup") + "?rue=rue+des+capucines",
    ]:
        browse.goto(live_server.url + url)
        assert browse.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), url
