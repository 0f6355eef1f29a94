"""A staff member edits a project's summary, opens its history, restores the old text and sees it on the public
page. axe-core on the history list, the version page and the confirmation page."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from contrat_ville.models import ProjectCofunder
from tests.browser import AXE_IMPORT, assert_no_axe_violations

from ..contrat_ville.factories import ProjectFactory

pytestmark = [pytest.mark.browser]
OLD = "Un jardin au pied des immeubles, cultivé par les habitants."
NEW = "Un jardin partagé, ouvert à tous, le mercredi."


def test_staff_restores_the_old_summary_of_a_project(browse, live_server, content, staff_user, tmp_path):
    shots = Path(os.environ.get("SCREENSHOTS_DIR", tmp_path))
    page = browse
    page.problems.expected_console.append(AXE_IMPORT)
    project = ProjectFactory(title="Jardin partagé des Franchises", summary=OLD)
    ProjectCofunder.objects.create(project=project, name="Fondation de France")  # a part with its own versions

    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Nom d’utilisateur").fill("agent")
    page.get_by_label("Mot de passe").fill("motdepasse-solide-123")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/admin/")

    # The summary is changed in the admin…
    page.goto(live_server.url + reverse("admin:contrat_ville_project_change", args=[project.pk]))
    page.locator("#id_summary").fill(NEW)
    page.locator('input[name="_save"]').click()
    page.wait_for_url("**/contrat_ville/project/")
    page.goto(live_server.url + project.get_absolute_url())
    assert NEW in page.locator("main").inner_text()

    # …then, from its page, « Historique »: who changed what, old → new.
    page.goto(live_server.url + reverse("admin:contrat_ville_project_change", args=[project.pk]))
    page.get_by_role("link", name="Historique").click()
    history = page.locator("table.history-list").first
    assert "agent" in history.inner_text() and OLD in history.inner_text() and NEW in history.inner_text()
    assert "Cofinanceur : Fondation de France" in page.locator("table.history-parts").inner_text()
    assert_no_axe_violations(page)
    page.screenshot(path=shots / "historique-liste.png", full_page=True)

    # Click 1: the first version; its page compares it with today's text.
    page.locator("table.history-list").first.locator("tbody tr").last.get_by_role("link").click()
    assert page.locator("h1").inner_text().startswith("Version du ")
    assert_no_axe_violations(page)
    page.screenshot(path=shots / "historique-version.png", full_page=True)

    # Click 2: « Restaurer cette version », confirmed.
    page.get_by_role("link", name="Restaurer cette version").click()
    assert "Ce que la restauration va changer" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    page.screenshot(path=shots / "historique-restaurer.png", full_page=True)
    page.get_by_role("button", name="Oui, restaurer cette version").click()
    page.wait_for_url(f"**/contrat_ville/project/{project.pk}/change/")
    assert "est restaurée" in page.locator(".messagelist").inner_text()

    page.goto(live_server.url + project.get_absolute_url())
    assert OLD in page.locator("main").inner_text()
    assert NEW not in page.locator("main").inner_text()
