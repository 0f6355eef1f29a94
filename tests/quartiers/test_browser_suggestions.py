"""On a phone, « rue des tulipe » gets « Vouliez-vous dire : Rue des Tulipes ? », and each answer says what next."""

from pathlib import Path

import pytest
from django.urls import reverse

from quartiers.models import Quartier
from tests.browser import assert_no_axe_violations
from tests.quartiers.factories import StreetFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("content")]
SHOTS = Path("/tmp/shots-H")


@pytest.fixture
def streets(content):
    qn = Quartier.objects.get(slug="quartiers-neufs")
    StreetFactory(name="Rue des Tulipes", quartier=qn)
    StreetFactory(name="Rue Diderot", quartier=None)


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def submit(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Vérifier l’adresse").click()


@pytest.mark.parametrize("width", [390, 320])
def test_a_typo_gets_a_suggestion_then_the_answer_and_what_it_opens(browse, live_server, streets, width):
    page = browse
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + reverse("home"))
    page.get_by_label("Nom de la rue, avec le numéro si vous le connaissez").fill("rue des tulipe")
    submit(page)
    answer = page.locator("#reponse")
    assert "Vouliez-vous dire : Rue des Tulipes ?" in answer.inner_text()
    link = page.get_by_role("link", name="Rue des Tulipes")
    assert link.bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    shot(page, f"suggestion-{width}")
    assert_no_axe_violations(page)

    with page.expect_navigation():
        link.click()
    assert "Oui : cette adresse est dans le quartier prioritaire" in page.locator("#titre-reponse").inner_text()
    for name in ["Proposer un microprojet", "Faire aider votre enfant", "Voir les actions dans votre quartier"]:
        target = page.get_by_role("link", name=name)
        assert target.bounding_box()["height"] >= 44, name
    shot(page, f"oui-{width}")
    assert_no_axe_violations(page)

    page.get_by_label("Nom de la rue (obligatoire)").fill("rue diderot")
    submit(page)
    assert "Non : cette adresse" in page.locator("#titre-reponse").inner_text()
    assert "Le Programme de Réussite Éducative peut quand même aider votre enfant" in page.content()
    assert page.locator('a[href^="tel:"]').count() >= 1
    shot(page, f"non-{width}")
    assert_no_axe_violations(page)

    page.get_by_label("Nom de la rue (obligatoire)").fill("rue de nulle part")
    submit(page)
    assert "Vérifiez comment la rue s’écrit." in page.locator("#reponse").inner_text()
    shot(page, f"inconnue-{width}")
    assert_no_axe_violations(page)
