"""The town's look in a real browser (issue 13, item 8): touch targets, text sizes, the main colour."""

import pytest
from django.urls import reverse

from langres_portal.core.models import SiteIdentity
from tests.browser import assert_no_axe_violations, assert_targets_big_enough, small_targets
from tests.core.test_browser import public_urls

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("content")]

# Text people read: at least 16 px and regular weight. Badges: at least 14 px (issue 13, item 8).
TEXT_JS = """
() => {
  const problems = [];
  const SELECTOR = "main p, main li, main dd, main td, main label, main .form-text, main .lead, header p, footer p";
  for (const el of document.querySelectorAll(SELECTOR)) {
    if (!el.innerText.trim() || el.closest(".small, small, figcaption, .breadcrumb, .visually-hidden")) continue;
    const style = getComputedStyle(el);
    if (parseFloat(style.fontSize) < 15.99 || parseInt(style.fontWeight, 10) < 400) {
      problems.push(`${el.tagName} « ${el.innerText.trim().slice(0, 30)} » ${style.fontSize} ${style.fontWeight}`);
    }
  }
  for (const el of document.querySelectorAll(".badge")) {
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 13.99) problems.push(`badge « ${el.innerText.trim()} » ${size}px`);
  }
  return problems;
}
"""


def test_no_target_under_44_px_on_any_page_of_the_site_map_at_390_px(browse, live_server):
    browse.set_viewport_size({"width": 390, "height": 844})
    urls = public_urls()
    assert len(urls) >= 10
    failures = []
    for url in urls:
        browse.goto(live_server.url + url)
        failures += [f"{url}: {problem}" for problem in small_targets(browse)]
    assert failures == [], "\n".join(failures)


def test_the_open_phone_menu_has_targets_of_44_px(browse, live_server):
    browse.set_viewport_size({"width": 390, "height": 844})
    browse.goto(live_server.url + reverse("home"))
    browse.locator(".navbar-toggler").click()
    browse.locator("#menu-principal a").first.wait_for(state="visible")
    assert_targets_big_enough(browse)


def test_the_target_check_reports_small_controls_and_spares_links_in_sentences(browse, live_server):
    browse.set_viewport_size({"width": 390, "height": 844})
    browse.goto(live_server.url + reverse("home"))
    browse.evaluate(
        """document.querySelector("main").insertAdjacentHTML("beforeend",
        '<button type="button" id="petit" class="tiny">OK</button>' +
        '<p>Une phrase avec <a href="/contact/" id="dans-phrase">un lien</a> au milieu.</p>' +
        '<ul><li><a href="/contact/" id="seul">Seul dans sa ligne</a></li></ul>' +
        '<input type="checkbox" id="case"><label for="case">Oui</label>')"""
    )
    # Through the CSSOM: the page's CSP refuses an added <style>, as it should.
    browse.evaluate("document.getElementById('petit').style.cssText = 'min-height: 0; padding: 0; font-size: 10px'")
    browse.evaluate("document.getElementById('seul').style.cssText = 'display: inline; min-height: 0'")
    problems = "\n".join(small_targets(browse))
    assert "button.tiny « OK »" in problems
    assert "Seul dans sa ligne" in problems
    assert "input" in problems  # a bare checkbox and a one-word label on a short line
    assert "un lien" not in problems


def test_body_text_is_16_px_regular_and_badges_14_px_at_390_px(browse, live_server):
    browse.set_viewport_size({"width": 390, "height": 844})
    failures = []
    for url in public_urls():
        browse.goto(live_server.url + url)
        failures += [f"{url}: {problem}" for problem in browse.evaluate(TEXT_JS)]
    assert failures == [], "\n".join(failures)


def test_the_main_colour_of_the_identity_colours_the_menu_without_inline_style(browse, live_server):
    SiteIdentity.objects.update(main_color="#7a1f3d")
    browse.goto(live_server.url + reverse("home"))
    background = browse.locator(".site-nav").evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(122, 31, 61)"
    button = browse.locator(".btn-primary").first
    if button.count():
        assert button.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(122, 31, 61)"
    assert_no_axe_violations(browse)


@pytest.mark.parametrize("width", [390, 1280])
def test_logo_and_banner_keep_their_size_and_the_page_its_rules(browse, live_server, width):
    from tests.core.test_identity_look import _png

    identity = SiteIdentity.objects.get()
    identity.logo, identity.logo_alt = _png(200, 200), "Ville de Langres"
    identity.banner, identity.banner_alt = _png(), "Les remparts au soleil couchant"
    identity.save()
    browse.set_viewport_size({"width": width, "height": 900})
    browse.goto(live_server.url + reverse("home"))
    assert browse.locator(".site-logo").evaluate("el => el.getBoundingClientRect().height") == 56
    banner = browse.get_by_role("img", name="Les remparts au soleil couchant")
    assert banner.evaluate("el => el.getBoundingClientRect().height") == (120 if width < 768 else 240)
    assert_no_axe_violations(browse)
    assert_targets_big_enough(browse)
