"""In a phone's first screen the resident finds the address check and the PRE's number; the FALC pages and the
glossary pass axe-core; what this adds is at least 44 px high."""

from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("content")]
SHOTS = Path("/tmp/shots-R1")
SIZES = {390: 844, 320: 640}  # an iPhone 12-15, a small Android phone


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=False)


def within_first_screen(page, selector):
    box = page.locator(selector).first.evaluate(
        "el => { const r = el.getBoundingClientRect(); return [r.top, r.bottom]; }"
    )
    return 0 <= box[0] and box[1] <= page.viewport_size["height"]


@pytest.mark.parametrize("width", [390, 320])
def test_the_first_screen_has_the_address_form_and_the_pre_number(browse, live_server, width):
    page = browse
    page.set_viewport_size({"width": width, "height": SIZES[width]})
    page.goto(live_server.url + reverse("home"))
    shot(page, f"accueil-{width}")
    assert within_first_screen(page, "#accueil-rue")
    assert within_first_screen(page, ".home-address-check button[type=submit]")
    phone = page.locator('a[href="tel:+33678271882"]').first
    assert "06 78 27 18 82" in phone.inner_text()
    assert within_first_screen(page, '.home-pre a[href="tel:+33678271882"]')
    for selector in [".home-task .btn", ".easy-read-link .btn", "#accueil-rue"]:
        for box in page.locator(selector).evaluate_all("els => els.map(e => e.getBoundingClientRect().height)"):
            assert box >= 44, selector
    shot(page, f"accueil-{width}")
    assert_no_axe_violations(page)


@pytest.mark.parametrize("width", [390, 320])
def test_the_pre_page_opens_on_the_phone_and_the_call_back(browse, live_server, width):
    page = browse
    page.set_viewport_size({"width": width, "height": SIZES[width]})
    page.goto(live_server.url + reverse("pre:index"))
    shot(page, f"pre-{width}")
    assert within_first_screen(page, '.pre-first a[href="tel:+33678271882"]')
    for box in page.locator(".pre-first .btn").evaluate_all("els => els.map(e => e.getBoundingClientRect().height)"):
        assert box >= 44
    shot(page, f"pre-{width}")
    assert_no_axe_violations(page)


@pytest.mark.parametrize("width", [390, 1280])
def test_easy_to_read_pages_and_the_glossary_pass_axe(browse, live_server, width):
    page = browse
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + reverse("home"))
    shot(page, f"accueil-haut-{width}")
    for slug, url_name in [("accueil", "home"), ("quartiers", "quartiers:index"),
                           ("microprojets", "microprojets:index"), ("reussite-educative", "pre:index")]:  # fmt: skip
        page.goto(live_server.url + reverse(url_name))
        with page.expect_navigation():
            page.get_by_role("link", name="Facile à lire").click()
        assert page.url.endswith(reverse("easy_read", args=[slug]))
        for box in page.locator(".easy-read .btn").evaluate_all(
            "els => els.map(e => e.getBoundingClientRect().height)"
        ):
            assert box >= 44
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        page.screenshot(path=SHOTS / f"facile-{slug}-{width}.png", full_page=True)
        assert_no_axe_violations(page)
    page.goto(live_server.url + reverse("glossary") + "#pilier")
    page.screenshot(path=SHOTS / f"glossaire-{width}.png", full_page=True)
    assert_no_axe_violations(page)
    page.goto(live_server.url + reverse("pre:index"))
    page.screenshot(path=SHOTS / f"pre-complet-{width}.png", full_page=True)
    assert_no_axe_violations(page)
