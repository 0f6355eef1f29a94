"""The shell pages that list what every app publishes make the same number of queries with few and many rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contrat_ville.models import Pillar
from tests.contrat_ville.factories import bulk_projects
from tests.microprojets.factories import ApplicationFactory, CallFactory
from tests.quartiers.factories import QuartierFactory

pytestmark = pytest.mark.usefixtures("content")


def add_rows(n, start, call):
    pillar = Pillar.objects.get(slug="cohesion-sociale")
    bulk_projects(n, pillar, start=start)
    for _ in range(n):
        QuartierFactory()
        ApplicationFactory(call=call, status="accepted")


@pytest.mark.parametrize("url_name", ["home", "site_map", "sitemap"])
def test_shell_pages_queries_do_not_grow_with_projects_quartiers_and_microprojects(
    client, django_assert_num_queries, url_name
):
    url = reverse(url_name)
    call = CallFactory()
    add_rows(2, 0, call)
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add_rows(25, 2, call)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    if url_name != "home":
        assert "projet-en-nombre-26" in response.content.decode()
