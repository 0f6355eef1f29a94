"""A resident searches the catalogue on a phone: no accent needed, the filters fold away, the focus lands on the
results and their count; axe-core finds nothing in any state. Screenshots go to /tmp/shots-G/."""

from pathlib import Path

import pytest
from django.urls import reverse

from contrat_ville import demo
from tests.browser import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("content")]
SHOTS = Path("/tmp/shots-G")
URL = reverse("contrat_ville:projects")
# Everything a finger has to hit in the search and filter form, and the links that clear it.
TARGETS = ".filter-form input, .filter-form select, .filter-form button, .filter-form summary, .filter-clear"


@pytest.fixture
def demo_projects():
    demo.generate(projects=15)  # the demo catalogue, with its « Ateliers de réparation de vélos »


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def small_targets(page):
    return page.eval_on_selector_all(
        TARGETS,
        """els => els.filter(e => e.offsetParent !== null).map(e => {
            const r = e.getBoundingClientRect();
            return [e.tagName + (e.id ? '#' + e.id : '') + ' ' + (e.textContent || '').trim().slice(0, 30),
                    Math.round(r.width), Math.round(r.height)];
        }).filter(([_, w, h]) => w < 44 || h < 44)""",
    )


def focused_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def heading_in_view(page, height):
    top = page.locator("#resultats").evaluate("e => e.getBoundingClientRect().top")
    return 0 <= top < height / 4


@pytest.mark.parametrize("width", [390, 320])
def test_resident_finds_the_bicycle_project_without_accents_on_a_phone(browse, live_server, demo_projects, width):
    height = 844 if width == 390 else 640
    browse.set_viewport_size({"width": width, "height": height})
    browse.goto(live_server.url + URL)
    search = browse.get_by_label("Rechercher")
    assert search.is_visible() and search.bounding_box()["y"] < height  # the search box is on the first screen
    assert browse.get_by_label("Pilier").is_hidden()  # the other filters are folded
    assert small_targets(browse) == []
    assert_no_axe_violations(browse)
    shot(browse, f"catalogue-{width}-plie")

    search.fill("velo")
    search.press("Enter")
    browse.wait_for_url("**#resultats")
    heading = browse.get_by_role("heading", level=2, name="1 projet pour ces critères")
    assert heading.is_visible() and focused_id(browse) == "resultats" and heading_in_view(browse, height)
    link = browse.get_by_role("link", name="Ateliers de réparation de vélos")
    assert link.is_visible() and browse.locator(".project-card .example-badge").is_visible()
    assert_no_axe_violations(browse)
    overflow = browse.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    shot(browse, f"catalogue-{width}-velo")

    # Unfolded with the keyboard, a filter added: the results and their count take the focus again.
    browse.locator("summary", has_text="Filtrer par pilier").focus()
    browse.keyboard.press("Enter")
    assert browse.get_by_label("Pilier").is_visible()
    assert small_targets(browse) == []
    assert_no_axe_violations(browse)
    shot(browse, f"catalogue-{width}-deplie")
    browse.get_by_label("Pilier").select_option(label="La cohésion sociale")
    browse.get_by_role("button", name="Afficher les projets").click()
    browse.wait_for_load_state()
    assert browse.get_by_role("heading", level=2, name="0 projet pour ces critères").is_visible()
    assert focused_id(browse) == "resultats" and heading_in_view(browse, height)
    assert browse.get_by_text("Aucun projet ne contient «\u00a0velo\u00a0» avec ce filtre.").is_visible()
    assert small_targets(browse) == []
    assert_no_axe_violations(browse)
    shot(browse, f"catalogue-{width}-aucun")

    browse.get_by_role("link", name="Effacer la recherche et garder les filtres").click()
    browse.wait_for_load_state()
    assert browse.get_by_label("Rechercher").input_value() == ""
    assert browse.get_by_role("heading", level=2, name="7 projets pour ces critères").is_visible()
    assert focused_id(browse) == "resultats"


def test_filters_are_open_on_a_wide_screen_and_figures_carry_the_example_badge(browse, live_server, demo_projects):
    browse.set_viewport_size({"width": 1280, "height": 900})
    browse.goto(live_server.url + URL)
    assert browse.get_by_label("Pilier").is_visible()  # opened by catalogue.js on a wide screen
    assert focused_id(browse) != "resultats"  # no jump without a search
    assert small_targets(browse) == []
    assert_no_axe_violations(browse)
    shot(browse, "catalogue-1280")
    browse.get_by_label("Rechercher").fill("SANTÉ")
    browse.get_by_role("button", name="Rechercher", exact=True).click()
    browse.wait_for_url("**#resultats")
    assert focused_id(browse) == "resultats"
    assert browse.get_by_role("link", name="Marche santé hebdomadaire").is_visible()
    assert_no_axe_violations(browse)
    shot(browse, "catalogue-1280-sante")

    for width in (390, 1280):
        browse.set_viewport_size({"width": width, "height": 900})
        browse.goto(live_server.url + reverse("contrat_ville:figures"))
        notice = browse.locator("#chiffres-exemple")
        assert notice.is_visible() and "Tous les projets comptés ici sont des exemples" in notice.inner_text()
        assert notice.locator(".example-badge").is_visible()
        assert browse.locator("section h2 .example-badge").count() == 3
        assert_no_axe_violations(browse)
        shot(browse, f"chiffres-{width}")
