"""The staff pages that grow with the data answer in the same number of queries with 10 applications as with 5,000:
the applications' list, the admin index (instructors' dashboard) and a committee session's pages with a long agenda.

Rows are made with bulk_create (the real moves would take minutes): the statuses, amounts and dates obey the
model's constraints. Each test builds both sizes; the whole module takes a few seconds.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from microprojets import workflow
from microprojets.models import Application

from .factories import CallFactory, bulk_applications, committee

S = workflow.Status
pytestmark = pytest.mark.usefixtures("content")
FEW, MANY = 10, 5000


def count_queries(client, url):
    client.get(url)  # first: caches, the session's lookup of its user…
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


@pytest.fixture
def data():
    call = CallFactory(envelope=Decimal("5000000"), max_amount=Decimal("1500"))
    session = committee(call, present=3, absent=1)
    return call, session


@pytest.fixture
def urls(data):
    _call, session = data
    return {
        "liste des dossiers": reverse("admin:microprojets_application_changelist"),
        "liste filtrée et cherchée": reverse("admin:microprojets_application_changelist")
        + "?status__exact=under_review&q=association&o=-7",
        "accueil (tableau de bord)": reverse("admin:index"),
        "séance (ordre du jour)": reverse("admin:microprojets_committeesession_session", args=[session.pk]),
        "séance (formulaire)": reverse("admin:microprojets_committeesession_change", args=[session.pk]),
        "ordre du jour imprimable": reverse("admin:microprojets_committeesession_agenda", args=[session.pk]),
        "export CSV de la liste filtrée": reverse("admin:microprojets_application_export", args=["csv"])
        + "?status__exact=under_review",
        "export XLSX du budget de l’appel": reverse("admin:microprojets_call_budget_export", args=[_call.pk, "xlsx"]),
    }


@pytest.mark.parametrize(
    "page",
    ["liste des dossiers", "liste filtrée et cherchée", "accueil (tableau de bord)", "séance (ordre du jour)",
     "séance (formulaire)", "ordre du jour imprimable", "export CSV de la liste filtrée",
     "export XLSX du budget de l’appel"],
)  # fmt: skip
def test_the_page_needs_as_many_queries_with_5000_applications_as_with_10(admin_client, data, urls, page):
    call, session = data
    bulk_applications(call, 0, FEW, session)
    few = count_queries(admin_client, urls[page])
    bulk_applications(call, FEW, MANY - FEW, session)
    assert Application.objects.count() == MANY and session.items.count() == MANY // 10
    many = count_queries(admin_client, urls[page])
    print(f"{page} : {few} requêtes à {FEW} dossiers, {many} à {MANY}")
    assert many == few
