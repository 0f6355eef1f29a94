"""A resident on a phone types her address with its number, in every form that looks it up, and gets an answer."""

from pathlib import Path

import pytest
from django.urls import reverse

from quartiers.models import Quartier
from tests.browser import assert_no_axe_violations
from tests.microprojets.factories import CallFactory
from tests.quartiers.factories import StreetFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("content")]
SHOTS = Path("/tmp/shots-A")
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def glycines(content):
    """Avenue des Glycines: numbers 1 to 40 in Quartiers Neufs, the rest outside."""
    qpv = Quartier.objects.get(slug="quartiers-neufs")
    StreetFactory(name="Avenue des Glycines", quartier=qpv, number_from=1, number_to=40)
    StreetFactory(name="Avenue des Glycines", quartier=None, number_from=41)
    return qpv


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def submit(page, button):
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def test_the_address_check_reads_the_number_typed_with_the_street_or_apart(browse, live_server, glycines):
    page = browse
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("home"))
    page.get_by_label("Nom de la rue, avec le numéro si vous le connaissez").fill("12 avenue des Glycines")
    submit(page, "Vérifier l’adresse")
    answer = page.locator("#titre-reponse")
    assert "Oui : cette adresse est dans le quartier prioritaire Quartiers Neufs" in answer.inner_text()
    assert fits(page)
    shot(page, "address-check-whole-address")
    assert_no_axe_violations(page)

    page.get_by_label("Nom de la rue (obligatoire)").fill("avenue des Glycines")
    page.get_by_label("Numéro dans la rue (facultatif)").fill("12 bis")
    submit(page, "Vérifier l’adresse")
    assert "Oui : cette adresse est dans le quartier prioritaire" in answer.inner_text()
    assert "Adresse vérifiée : 12 bis, « avenue des Glycines »" in page.locator("#reponse").inner_text()
    shot(page, "address-check-12-bis")
    assert_no_axe_violations(page)

    page.get_by_label("Numéro dans la rue (facultatif)").fill("12 quater zz")
    submit(page, "Vérifier l’adresse")
    assert page.title().startswith("Erreur – ")
    assert page.evaluate("document.activeElement.id") == "erreurs"
    assert page.get_by_label("Numéro dans la rue (facultatif)").input_value() == "12 quater zz"
    assert "Saisissez un numéro de 1 à 99999" in page.locator("#id_numero_error").inner_text()
    assert fits(page)
    shot(page, "address-check-nonsense-number")
    assert_no_axe_violations(page)


def test_the_eligibility_check_reads_the_number_typed_with_the_street_or_apart(browse, live_server, glycines):
    CallFactory()
    page = browse
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("microprojets:eligibility"))
    for group in ("collective", "non_profit", "residents", "dates"):
        page.locator(f"#id_{group}_0").check()
    page.get_by_label("Rue où se déroule le projet").fill("12 avenue des Glycines")
    submit(page, "Voir le résultat")
    result = page.locator("#resultat-test")
    assert "Votre projet semble correspondre aux microprojets" in result.inner_text()
    assert "est dans le quartier Quartiers Neufs" in result.inner_text()
    assert fits(page)
    shot(page, "eligibility-whole-address")
    assert_no_axe_violations(page)

    page.get_by_label("Rue où se déroule le projet").fill("Avenue des Glycines")
    page.get_by_label("Numéro dans la rue").fill("12 bis")
    submit(page, "Voir le résultat")
    assert "est dans le quartier Quartiers Neufs" in result.inner_text()
    shot(page, "eligibility-12-bis")
    assert_no_axe_violations(page)

    page.get_by_label("Numéro dans la rue").fill("-3")
    submit(page, "Voir le résultat")
    assert page.title().startswith("Erreur – ")
    assert page.get_by_label("Numéro dans la rue").input_value() == "-3"
    assert "ne peut pas être négatif" in page.locator("#erreurs").inner_text()
    assert fits(page)
    shot(page, "eligibility-nonsense-number")
    assert_no_axe_violations(page)
