"""In Chromium: beside each date typed « jj/mm/aaaa », a calendar in the page's language (French month and day
names whatever the browser's language) fills the field, opens and closes from the keyboard, and passes axe-core
(issue 13, item 6)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from tests.browser import assert_no_axe_violations, assert_targets_big_enough

pytestmark = [pytest.mark.browser]


def calendar_text(page, field):
    """What the calendar of `field` writes, inside its components' shadow roots."""
    return page.locator(f"#{field}-calendrier calendar-date").evaluate(
        "el => [el, ...el.querySelectorAll('calendar-month')].map(c => c.shadowRoot.textContent).join(' ')"
    )


@pytest.mark.browser_context_args(locale="en-US", timezone_id="Europe/Paris")  # a browser set to English
@pytest.mark.parametrize("width", [390, 320])
def test_the_calendar_speaks_the_pages_language_and_fills_the_typed_date(browse, live_server, call, width):
    page = browse
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + reverse("microprojets:apply"))
    toggle = page.locator("#id_starts_on ~ .calendar-toggle")
    assert toggle.inner_text() == "Choisir dans le calendrier"
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    panel = page.locator("#id_starts_on-calendrier")
    assert panel.is_visible()
    # The browser runs in English: the months are still French, as the page is.
    assert page.evaluate("navigator.language").startswith("en")
    month_name = date_format(timezone.localdate(), "F Y").lower()
    assert month_name in calendar_text(page, "id_starts_on").lower()
    page.screenshot(path=f"/tmp/calendrier-{width}.png")
    assert "Mois suivant" in panel.inner_text() and "Mois précédent" in panel.inner_text()

    # The keyboard: the focus is on today's day; one week later, Enter, and the field holds that date.
    page.locator("#id_starts_on-calendrier calendar-date:focus-within").wait_for()
    page.keyboard.press("ArrowDown")
    week_later = timezone.localdate() + timedelta(days=7)
    expect(page.locator("#id_starts_on-calendrier calendar-month button:focus")).to_have_text(str(week_later.day))
    page.keyboard.press("Enter")
    assert page.input_value("#id_starts_on") == week_later.strftime("%d/%m/%Y")
    assert not panel.is_visible() and page.evaluate("document.activeElement.id") == "id_starts_on"

    toggle.click()  # open again, on the chosen date: the page with its calendar open, checked
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert_no_axe_violations(page)
    assert_targets_big_enough(page)
    toggle.click()
    assert not panel.is_visible()

    # A date typed first opens the calendar on it; Escape closes it and gives the focus back to the button.
    page.fill("#id_ends_on", "14/07/2030")
    page.locator("#id_ends_on ~ .calendar-toggle").click()
    assert "juillet 2030" in calendar_text(page, "id_ends_on").lower()
    page.keyboard.press("Escape")
    assert not page.locator("#id_ends_on-calendrier").is_visible()
    assert page.evaluate("document.activeElement.className").startswith("btn")
    assert page.input_value("#id_ends_on") == "14/07/2030"  # what was typed stays


def test_without_a_calendar_the_date_is_still_typed(client, call):
    html = client.get(reverse("microprojets:apply")).content.decode()
    field = re.search(r"<input[^>]+id=\"id_starts_on\"[^>]*>", html).group(0)
    assert 'type="text"' in field and 'data-calendar="Choisir dans le calendrier"' in field
    assert f'data-calendar-min="{timezone.localdate().isoformat()}"' in field
