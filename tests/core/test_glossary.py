"""The policy's words are explained where they first appear on a page, from a glossary staff edit, safely."""

import html as html_lib
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_django.asserts import assertContains

from langres_portal.core import glossary
from langres_portal.core.fields import RichText, sanitize_html
from langres_portal.core.models import GlossaryTerm, Page

pytestmark = pytest.mark.django_db


def make_glossary(*terms):
    return glossary.Glossary(terms=[GlossaryTerm(**t) for t in terms], url="/glossaire/")


QPV = {"slug": "qpv", "term": "quartier prioritaire", "abbreviation": "QPV", "definition": "Un quartier aidé."}
PILIER = {"slug": "pilier", "term": "pilier", "definition": "Un grand thème."}


def text_of(html):
    return html_lib.unescape(re.sub(r"<[^>]+>", "", html))


def test_an_acronym_is_an_abbr_with_its_meaning_linked_to_the_glossary_once_per_page():
    g = make_glossary(QPV)
    first = g.mark(RichText("<p>Le QPV de Langres.</p>"))
    second = g.mark(RichText("<p>Un autre QPV.</p>"))
    assert first == (
        '<p>Le <a class="glossary-term" href="/glossaire/#qpv"><abbr title="quartier prioritaire">QPV</abbr></a>'
        " de Langres.</p>"
    )
    assert second == "<p>Un autre QPV.</p>"


def test_a_term_is_found_in_any_case_and_in_the_plural_an_acronym_only_as_written():
    g = make_glossary(PILIER, {"slug": "pre", "term": "Programme", "abbreviation": "PRE", "definition": "Aide."})
    out = g.mark("Les Piliers du contrat ; un pré, le PRE.")
    assert '<a class="glossary-term" href="/glossaire/#pilier">Piliers</a>' in out
    assert "un pré, le <a" in out and ">PRE</abbr>" in out


def test_links_attributes_headings_and_existing_abbreviations_are_left_alone():
    g = make_glossary(QPV, PILIER)
    source = (
        '<h2>Le pilier</h2><p><a href="/x" title="QPV pilier">le QPV</a> <abbr title="x">QPV</abbr></p>'
        "<p>Un pilier.</p>"
    )
    out = g.mark(RichText(source))
    assert out.startswith('<h2>Le pilier</h2><p><a href="/x" title="QPV pilier">le QPV</a> <abbr title="x">QPV</abbr>')
    assert out.endswith('<p>Un <a class="glossary-term" href="/glossaire/#pilier">pilier</a>.</p>')


def test_terms_and_texts_cannot_inject_markup():
    g = make_glossary({"slug": "x", "term": '"><script>alert(1)</script>', "abbreviation": "ABC", "definition": "x"})
    out = g.mark('<script>alert("ABC")</script> ABC &lt;b&gt;')  # plain text: escaped first
    assert "<script>" not in out and "<b>" not in out
    assert 'title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in out
    assert "&amp;lt;b&amp;gt;" in out


@given(st.text(max_size=300))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_marking_never_changes_what_a_rich_text_says(text):
    source = sanitize_html(f"<p>{html_lib.escape(text)} QPV pilier</p><ul><li>{html_lib.escape(text)}</li></ul>")
    out = make_glossary(QPV, PILIER).mark(RichText(source))
    assert text_of(out) == text_of(source)
    assert sanitize_html(out).count("<a ") == out.count("<a ")  # still what the sanitiser allows


def test_without_a_request_the_text_is_only_escaped():
    assert glossary.mark(None, "a < b QPV") == "a &lt; b QPV"


def test_the_glossary_is_read_once_per_request():
    GlossaryTerm.objects.create(**QPV)
    request = RequestFactory().get("/")
    with CaptureQueriesContext(connection) as queries:
        glossary.mark(request, "QPV")
        glossary.mark(request, "QPV")
    assert len(queries) == 1


@pytest.mark.usefixtures("content")
def test_the_seed_terms_are_explained_on_the_pre_page_and_the_glossary_page(client):
    response = client.get(reverse("pre:index"))
    for slug in ["eps", "parentalite", "radicalisation", "anct"]:
        assertContains(response, f'href="/glossaire/#{slug}"', count=1)
    page = client.get(reverse("glossary"))
    for slug in ["qpv", "cucs", "pre", "eps", "anct", "contrat-de-ville", "pilier", "conseil-citoyen", "jours-ouvres"]:
        assertContains(page, f'id="{slug}"')
    assertContains(page, '<dfn><abbr title="quartier prioritaire de la politique de la ville">QPV</abbr></dfn>')
    assert reverse("glossary") in client.get(reverse("site_map")).content.decode()


@pytest.mark.usefixtures("content")
@pytest.mark.parametrize("url_name", ["home", "pre:index", "quartiers:index", "contrat_ville:index"])
def test_the_number_of_queries_does_not_grow_with_the_glossary(client, url_name):
    url = reverse(url_name)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    GlossaryTerm.objects.bulk_create(
        GlossaryTerm(slug=f"terme-{i}", term=f"terme numéro {i}", definition="x") for i in range(200)
    )
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


@pytest.mark.usefixtures("content")
def test_a_typo_is_corrected_in_rows_staff_never_edited_and_staff_edits_are_kept():
    # A site loaded with the old content: the seed's typo in the PRE page, the home text edited by staff.
    Page.objects.filter(slug="reussite-educative").update(
        body="<p>Le Programme de Réussite Éducative (PRE) s’inscrit dans la loi de cohésion sociale. Il a été créé en "
        "2005 et placé sous l’égide du ministère délégué de la Ville via l’Agence nationale de la cohésion des "
        "territoire (ANCT).</p>"
    )
    Page.objects.filter(slug="accueil").update(body="<p>Texte du service.</p>")
    call_command("load_initial_content", verbosity=0)
    assert "cohésion des territoires (ANCT)" in Page.objects.get(slug="reussite-educative").body
    assert Page.objects.get(slug="accueil").body == "<p>Texte du service.</p>"
