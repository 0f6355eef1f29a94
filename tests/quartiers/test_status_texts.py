"""Each status group of /quartiers/ is explained to residents by a staff-editable text."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from langres_portal.core.models import Page
from tests.quartiers.factories import QuartierFactory
from tests.texts import unmarked

pytestmark = pytest.mark.usefixtures("content")


def test_each_status_group_is_explained_under_its_heading(client):
    QuartierFactory(name="Turenne", status="cucs")
    html = unmarked(client.get(reverse("quartiers:index")))
    for status in ("qpv", "veille", "cucs"):
        text = Page.objects.get(slug=f"quartiers-statut-{status}").summary
        assert text, status
        heading = html.index(f'id="groupe-{status}"')
        # The explanation comes right after its own heading, before the first neighbourhood card of the group.
        assert heading < html.index(text) < html.index("quartier-card", heading)
    assert "quartier prioritaire" in Page.objects.get(slug="quartiers-statut-qpv").summary


def test_the_explanation_is_staff_data_and_can_be_withdrawn(client):
    Page.objects.filter(slug="quartiers-statut-qpv").update(summary="Texte revu par le service.")
    Page.objects.filter(slug="quartiers-statut-veille").update(is_published=False)
    veille = Page.objects.get(slug="quartiers-statut-veille").summary
    response = client.get(reverse("quartiers:index"))
    assertContains(response, '<p class="page-content">Texte revu par le service.</p>', html=True)
    assertContains(response, '<h2 id="groupe-veille">Veille active</h2>', html=True)  # the group is still there
    assertNotContains(response, veille)


def test_detail_explains_the_neighbourhoods_status(client):
    html = unmarked(client.get(reverse("quartiers:detail", args=["les-ouches"])))
    assert Page.objects.get(slug="quartiers-statut-veille").summary in html
    assert Page.objects.get(slug="quartiers-statut-qpv").summary not in html


def test_one_query_for_all_the_explanations(client):
    url = reverse("quartiers:index")
    client.get(url)  # warm-up
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    page_queries = [q["sql"] for q in ctx.captured_queries if "core_page" in q["sql"]]
    # The section intro and the three explanations: two queries, whatever the number of statuses shown.
    assert len(page_queries) == 2, page_queries
