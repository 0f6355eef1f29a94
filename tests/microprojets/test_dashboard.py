"""The instructors' dashboard on the admin index: counts per status (linked to the filtered list), the oldest
applications waiting for the service, the calls' budgets and the next committee session; others do not see it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from langres_portal.core.permissions import ROLE_EDITORS, ROLE_INSTRUCTORS
from microprojets import dashboard, workflow
from microprojets.models import Application
from microprojets.services import committee as committee_services
from microprojets.services import review

from .factories import ApplicationFactory, CallFactory, committee

S = workflow.Status
pytestmark = pytest.mark.usefixtures("content")
TITLE = "Tableau de bord des microprojets"


@pytest.fixture
def instructor(django_user_model):
    user = django_user_model.objects.create_user("instructeur", password="motdepasse-solide-123", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=ROLE_INSTRUCTORS)[0])
    return user


def test_an_instructor_sees_the_dashboard_above_the_usual_index(client, instructor):
    client.force_login(instructor)
    response = client.get(reverse("admin:index"))
    assertContains(response, f'<h2 id="mp-dashboard-titre">{TITLE}</h2>', html=True)
    assertContains(response, 'id="content-main"')  # the index's own content stays


def test_a_staff_member_who_is_not_an_instructor_does_not_see_it(client, django_user_model):
    editor = django_user_model.objects.create_user("redaction", password="motdepasse-solide-123", is_staff=True)
    editor.groups.add(Group.objects.get_or_create(name=ROLE_EDITORS)[0])
    ApplicationFactory()
    client.force_login(editor)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assertNotContains(response, TITLE)
    assertNotContains(response, reverse("admin:microprojets_application_changelist"))


def test_each_status_count_links_to_the_list_filtered_on_it(admin_client):
    ApplicationFactory.create_batch(2, status=S.UNDER_REVIEW)
    ApplicationFactory(status=S.ACCEPTED)
    counts = {row.status: row for row in dashboard.status_counts()}
    assert [row.status for row in dashboard.status_counts()] == list(S.values)
    assert counts[S.UNDER_REVIEW].count == 2 and counts[S.ACCEPTED].count == 1 and counts[S.CLOSED].count == 0
    page = admin_client.get(reverse("admin:index")).content.decode()
    url = reverse("admin:microprojets_application_changelist") + "?status__exact=under_review"
    assert f'<a href="{url}" aria-label="2 dossiers « En instruction »">2</a>' in page
    listed = admin_client.get(url).context["cl"].result_list
    assert len(listed) == 2


def test_the_oldest_waiting_applications_come_first_and_only_five(admin_client):
    now = timezone.now()
    waiting = [ApplicationFactory(status=S.SUBMITTED) for _ in range(7)]
    for days, application in enumerate(waiting):
        Application.objects.filter(pk=application.pk).update(status_changed_at=now - timedelta(days=30 - days))
    old_but_not_for_staff = ApplicationFactory(status=S.INCOMPLETE)
    Application.objects.filter(pk=old_but_not_for_staff.pk).update(status_changed_at=now - timedelta(days=300))
    assert [a.pk for a in dashboard.oldest_waiting()] == [a.pk for a in waiting[:5]]
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "le plus longtemps (5 au plus)" in page
    assert waiting[0].reference in page and waiting[6].reference not in page
    assert old_but_not_for_staff.reference not in page


def test_the_budget_of_open_and_recent_calls_against_their_envelope(admin_client):
    call = CallFactory(envelope=Decimal("10000"), title="Appel ouvert")
    ApplicationFactory(call=call, status=S.PAID, amount_requested=Decimal("1000"))
    ApplicationFactory(call=call, status=S.ACCEPTED, amount_requested=Decimal("500"))
    ApplicationFactory(call=call, status=S.UNDER_REVIEW, amount_requested=Decimal("250"))
    old = CallFactory(
        title="Appel ancien",
        opens_at=timezone.now() - timedelta(days=800),
        closes_at=timezone.now() - timedelta(days=700),
    )
    budgets = {b.call.pk: b for b in dashboard.call_budgets()}
    assert old.pk not in budgets
    budget = budgets[call.pk]
    assert (budget.envelope, budget.requested, budget.granted, budget.paid, budget.remaining) == (
        Decimal("10000"), Decimal("1750"), Decimal("1500"), Decimal("1000"), Decimal("8500"),
    )  # fmt: skip
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "<caption>Budget des appels ouverts ou clos depuis moins d’un an (en euros)</caption>" in page
    assert "8\xa0500,00 €" in page and "Appel ancien" not in page
    # The detailed budget is one click away, also for instructors whose role does not open the calls' pages.
    assert reverse("admin:microprojets_call_budget_export", args=[call.pk, "xlsx"]) in page


def test_the_next_committee_session_and_its_agenda_link_to_their_pages(admin_client, admin_user):
    call = CallFactory()
    session = committee(call)
    application = ApplicationFactory(call=call, status=S.UNDER_REVIEW)
    committee_services.add_to_agenda(session_id=session.pk, application_id=application.pk, by=admin_user)
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:microprojets_committeesession_session", args=[session.pk]) in page
    assert reverse("admin:microprojets_application_change", args=[application.pk]) in page
    assert "1 dossier à l’ordre du jour" in page


def test_without_a_session_the_dashboard_offers_to_plan_one(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "Aucune séance prévue." in page and "Aucun dossier n’attend le service." in page


def test_the_index_needs_as_many_queries_with_one_waiting_application_as_with_five(admin_client, admin_user):
    """The capped parts (5 waiting applications) would hide an N+1 from the 10-versus-5,000 test: 1 against 5."""

    def index_queries():
        admin_client.get(reverse("admin:index"))
        with CaptureQueriesContext(connection) as queries:
            admin_client.get(reverse("admin:index"))
        return len(queries.captured_queries)

    call = CallFactory()
    first = ApplicationFactory(call=call)
    review.assign(application_id=first.pk, to=admin_user)
    one = index_queries()
    for _ in range(4):
        other = ApplicationFactory(call=CallFactory())
        review.assign(application_id=other.pk, to=admin_user)
    assert len(dashboard.oldest_waiting()) == 5
    assert index_queries() == one
