"""The instructors' dashboard, the applications' list with its new filters and export buttons, and a call's page
with its budget exports: axe-core finds nothing on them, and the buttons download the files."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from langres_portal.core.permissions import ROLE_INSTRUCTORS
from microprojets import workflow
from microprojets.services import committee as committee_services
from tests.browser import AXE_IMPORT, assert_no_axe_violations

from .factories import ApplicationFactory, CallFactory, committee

pytestmark = [pytest.mark.browser]
S = workflow.Status


@pytest.fixture
def instructor(django_user_model, content):
    user = django_user_model.objects.create_user(
        "claire", password="motdepasse-solide-123", is_staff=True, is_superuser=True, first_name="Claire"
    )
    user.groups.add(Group.objects.get_or_create(name=ROLE_INSTRUCTORS)[0])
    return user


def log_in(page, live_server):
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Nom d’utilisateur").fill("claire")
    page.get_by_label("Mot de passe").fill("motdepasse-solide-123")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/admin/")


def test_the_dashboard_the_list_and_the_call_page_pass_axe_and_export(browse, live_server, instructor):
    page = browse
    page.problems.expected_console.append(AXE_IMPORT)
    call = CallFactory(envelope=Decimal("12000"), title="Appel du printemps")
    session = committee(call)
    on_agenda = ApplicationFactory(call=call, status=S.UNDER_REVIEW, title="Jardin des Tulipes")
    committee_services.add_to_agenda(session_id=session.pk, application_id=on_agenda.pk, by=instructor)
    ApplicationFactory(call=call, status=S.PAID, title="Fête des voisins")
    ApplicationFactory(call=call, title="Atelier vélo")
    log_in(page, live_server)

    # The index: the dashboard above the usual content.
    assert page.get_by_role("heading", name="Tableau de bord des microprojets").is_visible()
    assert page.locator("caption", has_text="Dossiers par statut").is_visible()
    assert_no_axe_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV : budget de « Appel du printemps »").click()
    assert download.value.suggested_filename.startswith(f"budget-appel-{call.pk}-")

    # A count leads to the list filtered on its status.
    page.get_by_role("link", name="1 dossier « Versé »").click()
    page.wait_for_url("**/application/?status__exact=paid")
    assert page.locator("#result_list").get_by_text("Fête des voisins").is_visible()
    assert page.locator("#result_list").get_by_text("Atelier vélo").count() == 0
    assert_no_axe_violations(page)

    # The list's export keeps the filter: the file has that one application.
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter (CSV)").click()
    content = open(download.value.path(), encoding="utf-8").read()
    assert content.startswith("\ufeffRéférence;") and "Fête des voisins" in content and "Atelier vélo" not in content

    # The call's page and its budget exports.
    page.goto(live_server.url + reverse("admin:microprojets_call_change", args=[call.pk]))
    # Only the buttons this adds: the change form itself is Django's (split date widgets, inline's empty header).
    assert_no_axe_violations(page, ".object-tools")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter le budget (XLSX)").click()
    assert download.value.suggested_filename.startswith(f"budget-appel-{call.pk}-")

    # The next session's link leads to its page.
    page.goto(live_server.url + reverse("admin:index"))
    page.get_by_role("link", name=str(session)).click()
    page.wait_for_url(f"**/{session.pk}/seance/")
    assert page.problems.external_requests == [] and page.problems.page_errors == []
