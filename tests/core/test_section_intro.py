"""A section whose intro Page is missing (not loaded yet: staff can neither unpublish nor delete it) still
answers: the menu links to it."""

import re

import pytest
from django.urls import reverse

from langres_portal.core.models import Page
from langres_portal.core.views import section_page

pytestmark = pytest.mark.usefixtures("content")

# (intro Page slug, URL name, the section's name in the menu, a part of the page that does not come from the intro)
SECTIONS = [
    ("quartiers", "quartiers:index", "Quartiers", 'id="groupe-qpv"'),
    ("contrat-de-ville", "contrat_ville:index", "Contrat de ville", "contrat_ville:projects"),
    ("microprojets", "microprojets:index", "Microprojets", "microprojets:eligibility"),
    ("reussite-educative", "pre:index", "Réussite éducative", "pre:contact"),
]


def h1s(html):
    return re.findall(r"<h1[^>]*>(.*?)</h1>", html, flags=re.S)


@pytest.mark.parametrize(("slug", "url_name", "name", "rest"), SECTIONS)
def test_a_section_with_its_intro_missing_still_answers(client, slug, url_name, name, rest):
    intro = Page.objects.get(slug=slug)
    assert intro.summary  # the test would prove nothing without an intro text
    published = client.get(reverse(url_name)).content.decode()
    Page.objects.filter(slug=slug).delete()

    response = client.get(reverse(url_name))
    assert response.status_code == 200
    html = response.content.decode()
    assert [h.strip() for h in h1s(html)] == [name]
    assert f"<title>{name} – " in html
    assert intro.summary not in html
    assert "Mis à jour le" not in html
    marker = reverse(rest) if ":" in rest else rest
    assert marker in published and marker in html  # the rest of the page is still there
    assert f'href="{reverse(url_name)}"' in html  # and the menu still links to it
    site_map = client.get(reverse("site_map")).content.decode()
    assert re.search(rf'<a href="{reverse(url_name)}"[^>]*>\s*{name}\s*</a>', site_map)  # so does the site map


def test_section_page_returns_the_published_page_or_an_unsaved_placeholder():
    intro = Page.objects.get(slug="quartiers")
    assert section_page("quartiers", "Quartiers") == intro
    Page.objects.filter(slug="quartiers").delete()
    placeholder = section_page("quartiers", "Quartiers")
    assert placeholder.pk is None and placeholder.title == "Quartiers" and not placeholder.summary
    assert not str(placeholder.body)
    assert not Page.objects.filter(slug="quartiers").exists()  # nothing is created


@pytest.mark.browser
def test_sections_without_their_intro_have_no_axe_violation(browse, live_server):
    from tests.browser import assert_no_axe_violations

    Page.objects.filter(slug__in=[slug for slug, *_ in SECTIONS]).delete()
    for _slug, url_name, name, _rest in SECTIONS:
        browse.goto(live_server.url + reverse(url_name))
        assert browse.locator("h1").inner_text() == name
        assert_no_axe_violations(browse)
