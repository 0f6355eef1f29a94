"""The eligibility check reads the address like the address check does: number typed anywhere, any usual form."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains

ELIGIBILITY = reverse("microprojets:eligibility")
ANSWERS = {"collective": "oui", "non_profit": "oui", "residents": "oui", "dates": "oui"}


@pytest.fixture
def demo(content):
    call_command("generate_demo_data", verbosity=0)


def check(client, **address):
    return client.get(ELIGIBILITY, {**ANSWERS, **address})


@pytest.mark.parametrize("number", ["13", " 13 ", "13 bis", "13b", "13 B", "13-15", "13 ter", "n° 13"])
def test_a_number_in_the_qpv_part_of_a_shared_street_is_in_the_quartier(client, demo, number):
    response = check(client, street="Avenue des Glycines", number=number)
    assert response.status_code == 200
    assertContains(response, "est dans le quartier")


def test_the_number_of_the_reported_defect_gets_an_answer(client, demo):
    response = check(client, street="Avenue des Glycines", number="12")
    assert response.status_code == 200
    assertContains(response, "n’est pas dans un quartier concerné")


@pytest.mark.parametrize("street", ["13 avenue des Glycines", "13 bis, av. des Glycines", "13, av des glycines 52200"])
def test_a_whole_address_in_the_street_field_is_understood(client, demo, street):
    assertContains(check(client, street=street), "est dans le quartier")


def test_the_number_of_a_whole_address_agrees_with_the_number_field(client, demo):
    assertContains(check(client, street="13 avenue des Glycines", number="13 bis"), "est dans le quartier")
    response = check(client, street="13 avenue des Glycines", number="14")
    assertContains(response, "deux numéros différents")
    assertContains(response, 'value="14"')


@pytest.mark.parametrize("number", ["abc", "0", "-3", "99999999999", "12 quater zz"])
def test_a_nonsense_number_gets_a_french_message_at_the_number_field(client, demo, number):
    response = check(client, street="Avenue des Glycines", number=number)
    assert response.status_code == 200
    assertContains(response, "<title>Erreur – ", html=False)
    assertContains(response, 'href="#id_number"')
    assertContains(response, "un numéro de 1 à 99999")
    assertContains(response, f'value="{number}"')
    assertContains(response, 'value="Avenue des Glycines"')


@pytest.mark.parametrize("street", ["0 avenue des Glycines", "99999999 av. des Glycines", "-3 avenue des Glycines"])
def test_a_nonsense_number_in_the_street_field_gets_a_message_there(client, demo, street):
    response = check(client, street=street)
    assertContains(response, 'href="#id_street"')
    assertContains(response, "numéro")
