"""The staff pages that grow with the data answer in the same number of queries with 10 applications as with 5,000:
the applications' list, the admin index (instructors' dashboard) and a committee session's pages with a long agenda.

Rows are made with bulk_create (the real moves would take minutes): the statuses, amounts and dates obey the
model's constraints. Each test builds both sizes; the whole module takes a few seconds.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contrat_ville.models import Pillar
from microprojets import workflow
from microprojets.models import AgendaItem, Application, Vote
from quartiers.models import Quartier

from .factories import CallFactory, committee

S = workflow.Status
pytestmark = pytest.mark.usefixtures("content")
FEW, MANY = 10, 5000


def add_applications(call, start, count, session=None, agenda_every=10):
    """`count` applications from number `start`, a mix of statuses; every `agenda_every`-th on the session's agenda,
    with a vote of each of its members."""
    now = timezone.now()
    quartiers, pillars = list(Quartier.objects.all()), list(Pillar.objects.all())
    statuses = [S.SUBMITTED, S.UNDER_REVIEW, S.INCOMPLETE, S.ACCEPTED, S.PAID, S.REJECTED]
    rows = []
    for i in range(start, start + count):
        status = S.ON_AGENDA if session and i % agenda_every == 0 else statuses[i % len(statuses)]
        granted = Decimal("500") if status in workflow.GRANTED else None
        rows.append(
            Application(
                call=call,
                reference=f"MP-2026-{i + 1:05d}",
                source_token=f"bench-{i}",
                status=status,
                porteur_kind="association",
                organisation_name=f"Association {i % 40}",
                first_name="Camille",
                last_name=f"Martin{i}",
                role="Présidente",
                email=f"porteur{i}@example.org",
                phone="06 12 34 56 78",
                address="3 rue des Tulipes",
                title=f"Projet {i}",
                summary="Résumé.",
                description="Description.",
                objectives="Objectifs.",
                audience="Familles",
                participants_count=20,
                quartier=quartiers[i % len(quartiers)],
                pillar=pillars[i % len(pillars)],
                place="Quartier",
                starts_on=now.date(),
                ends_on=now.date() + timedelta(days=30),
                amount_requested=Decimal("800"),
                amount_granted=granted,
                amount_paid=Decimal("500") if status == S.PAID else Decimal("0"),
                decided_at=now if status in workflow.DECIDED else None,
                status_changed_at=now - timedelta(days=i % 90),
                submitted_at=now - timedelta(days=i % 400),
            )
        )
    applications = Application.objects.bulk_create(rows)
    if session is not None:
        members = list(session.members.all())
        items = AgendaItem.objects.bulk_create(
            AgendaItem(session=session, application=a, order=k)
            for k, a in enumerate(a for a in applications if a.status == S.ON_AGENDA)
        )
        Vote.objects.bulk_create(Vote(item=item, member=m, choice=Vote.Choice.FOR) for item in items for m in members)
    return applications


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
    }


@pytest.mark.parametrize(
    "page",
    ["liste des dossiers", "liste filtrée et cherchée", "accueil (tableau de bord)", "séance (ordre du jour)",
     "séance (formulaire)", "ordre du jour imprimable"],
)  # fmt: skip
def test_the_page_needs_as_many_queries_with_5000_applications_as_with_10(admin_client, data, urls, page):
    call, session = data
    add_applications(call, 0, FEW, session)
    few = count_queries(admin_client, urls[page])
    add_applications(call, FEW, MANY - FEW, session)
    assert Application.objects.count() == MANY and session.items.count() == MANY // 10
    many = count_queries(admin_client, urls[page])
    print(f"{page} : {few} requêtes à {FEW} dossiers, {many} à {MANY}")
    assert many == few
