"""« Vouliez-vous dire : Rue des Tulipes ? » and what each answer opens, wherever an address is looked up."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_django.asserts import assertContains, assertNotContains

from quartiers import services
from quartiers.models import Quartier, Street
from tests.quartiers.factories import StreetFactory

pytestmark = pytest.mark.usefixtures("content")
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Any text a visitor may type: accents, apostrophes, hyphens, NUL and other control characters, up to 200.
ANY_TEXT = st.one_of(
    st.text(max_size=200),
    st.text(alphabet="aàâeéèêëiîoôuùüçœ’'- .,0123456789\x00", max_size=200),
    st.sampled_from(["", " ", "\x00", "rue des tulipe", "12 av glycine", "l’église", "a" * 200]),
)


@pytest.fixture
def streets():
    qn = Quartier.objects.get(slug="quartiers-neufs")
    StreetFactory(name="Rue des Tulipes", quartier=qn)
    StreetFactory(name="Avenue des Glycines", quartier=qn, number_from=1, number_to=49, side="odd")
    StreetFactory(name="Avenue des Glycines", quartier=None, number_from=2, number_to=60, side="even")
    StreetFactory(name="Rue des Ouches", quartier=Quartier.objects.get(slug="les-ouches"))
    StreetFactory(name="Rue Diderot", quartier=None)
    StreetFactory(name="Place de l’Hôtel-de-Ville", quartier=None)
    return qn


def lookup(client, **params):
    return client.get(reverse("quartiers:address_lookup"), params)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("rue des tulipe", "Rue des Tulipes"),
        ("rue des tulippes", "Rue des Tulipes"),
        ("Rue des Tulipés", "Rue des Tulipes"),
        ("tulipe", "Rue des Tulipes"),
        ("av glycine", "Avenue des Glycines"),
        ("glyc", "Avenue des Glycines"),
        ("place hotel ville", "Place de l’Hôtel-de-Ville"),
    ],
)
def test_a_typo_suggests_the_street_first(streets, typed, expected):
    assert services.suggest_streets(typed)[0] == expected


def test_a_street_name_two_streets_share_suggests_both(streets):
    StreetFactory(name="Impasse des Tulipes", quartier=None)
    result = services.lookup_address("tulipes")
    assert result.status == "unknown" and result.street is None
    assert [s.name for s in result.suggestions] == ["Impasse des Tulipes", "Rue des Tulipes"]


def test_a_street_unlike_any_suggests_nothing(streets):
    for typed in ["rue des Lilas", "rue de nulle part", "zz", "Rue Victor Hugo"]:
        assert services.suggest_streets(typed) == [], typed


@given(data=st.data())
@FUZZ
def test_one_letter_left_out_or_doubled_still_suggests_the_street(streets, data):
    name = data.draw(st.sampled_from(["Rue des Tulipes", "Avenue des Glycines", "Rue des Ouches", "Rue Diderot"]))
    word = name.split()[-1]
    i = data.draw(st.integers(0, len(word) - 1))
    typo = data.draw(st.sampled_from([word[:i] + word[i + 1 :], word[:i] + word[i] + word[i:]]))
    typed = name.rsplit(" ", 1)[0].lower() + " " + typo.lower()
    assert name in services.suggest_streets(typed), typed


def test_the_suggestion_is_a_link_that_checks_again_with_the_number_kept(client, streets):
    response = lookup(client, rue="12 rue des tulipe", numero="")
    assertContains(response, "Rue inconnue")
    assertContains(response, "Vouliez-vous dire :")
    html = response.content.decode()
    link = re.search(r'<a class="street-suggestion[^"]*" href="([^"]+)">Rue des Tulipes</a> \?', html)
    assert link, html
    href = link.group(1).replace("&amp;", "&")
    assert href == "?rue=Rue+des+Tulipes&numero=12#reponse"
    response = client.get(reverse("quartiers:address_lookup") + href.split("#")[0])
    assertContains(response, "Oui : cette adresse est dans le quartier prioritaire Quartiers Neufs")
    assertContains(response, "Adresse vérifiée : 12, « Rue des Tulipes »")
    assertNotContains(response, "Vouliez-vous dire")


def test_a_typo_with_the_number_apart_keeps_the_number(client, streets):
    response = lookup(client, rue="av glycine", numero="13 bis")
    assertContains(response, 'href="?rue=Avenue+des+Glycines&amp;numero=13+bis#reponse"')
    assertContains(
        client.get(reverse("quartiers:address_lookup"), {"rue": "Avenue des Glycines", "numero": "13 bis"}), "Oui :"
    )


def test_oui_says_concretely_what_the_address_opens(client, streets):
    response = lookup(client, rue="rue des tulipes")
    assertContains(response, "Ce que cette adresse vous ouvre")
    assertContains(response, f'href="{reverse("microprojets:index")}"')
    assertContains(response, "Proposer un microprojet")
    assertContains(response, f'href="{reverse("pre:index")}"')
    assertContains(response, "Faire aider votre enfant")
    assertContains(response, f'href="{reverse("contrat_ville:projects")}?quartier=quartiers-neufs"')
    assertContains(response, "Voir les actions dans votre quartier")
    assertNotContains(response, "peut quand même aider votre enfant")


@pytest.mark.parametrize("street", ["12 avenue des Glycines", "rue diderot", "rue des ouches"])
def test_non_says_what_remains_possible(client, streets, street):
    response = lookup(client, rue=street)
    assertContains(response, "Ce qui reste possible")
    assertContains(response, "Le Programme de Réussite Éducative peut quand même aider votre enfant")
    assertContains(response, "école des Ouches, de la Bonnelle ou de la Grenouille")
    assertContains(response, f'href="{reverse("pre:index")}"')
    assertContains(response, 'href="tel:')
    assertNotContains(response, "Proposer un microprojet")


def test_an_unknown_street_without_suggestion_says_what_to_do(client, streets):
    response = lookup(client, rue="rue de nulle part")
    assertContains(response, "Rue inconnue")
    assertNotContains(response, "Vouliez-vous dire")
    assertContains(response, "Vérifiez comment la rue s’écrit.")
    assertContains(response, 'href="tel:')


def test_the_answer_texts_are_staff_pages(client, streets):
    from langres_portal.core.models import Page

    Page.objects.filter(slug="quartiers-reponse-pre").update(title="Aide aux devoirs et plus")
    Page.objects.filter(slug="quartiers-reponse-actions").update(is_published=False)
    response = lookup(client, rue="rue des tulipes")
    assertContains(response, "Aide aux devoirs et plus")
    assertNotContains(response, "Voir les actions dans votre quartier")


def test_the_home_form_lists_the_known_streets(client, streets):
    response = client.get(reverse("home"))
    assertContains(response, 'list="accueil-rues-connues"')
    assertContains(response, '<option value="Rue des Tulipes"></option>', html=True)
    assertContains(response, '<option value="Avenue des Glycines"></option>', count=1, html=True)


ELIGIBILITY = {"collective": "oui", "non_profit": "oui", "residents": "oui", "dates": "oui", "amount": "300"}


def test_the_eligibility_check_suggests_the_street_and_keeps_the_other_answers(client, streets):
    response = client.get(reverse("microprojets:eligibility"), {**ELIGIBILITY, "street": "rue des tulipe"})
    assertContains(response, "Vouliez-vous dire :")
    html = response.content.decode()
    href = re.search(r'class="street-suggestion[^"]*" href="([^"]+)">Rue des Tulipes<', html).group(1)
    href = href.replace("&amp;", "&")
    assert "street=Rue+des+Tulipes" in href and "amount=300" in href and "collective=oui" in href
    assert href.endswith("#resultat-test")
    response = client.get(reverse("microprojets:eligibility") + href.split("#")[0])
    assertContains(response, "L’adresse « Rue des Tulipes » est dans le quartier Quartiers Neufs.")
    assertNotContains(response, "Vouliez-vous dire")


def _query_count(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url_name, params",
    [
        ("quartiers:address_lookup", {"rue": "rue des tulipe", "numero": "3"}),
        ("quartiers:address_lookup", {"rue": "rue des tulipes"}),
        ("quartiers:address_lookup", {"rue": "rue diderot"}),
        ("home", {}),
        ("microprojets:eligibility", {**ELIGIBILITY, "street": "rue des tulipe"}),
    ],
)
def test_queries_do_not_grow_with_the_streets(client, streets, url_name, params):
    url = reverse(url_name)
    StreetFactory.create_batch(5, quartier=None)
    counts = [_query_count(client, url, params)]
    StreetFactory.create_batch(490, quartier=None)
    assert Street.objects.count() > 500
    counts.append(_query_count(client, url, params))
    assert counts[0] == counts[1]


def _answers_in_french(response):
    assert response.status_code in (200, 400), response.status_code
    assert 'lang="fr"' in response.content.decode()


@given(street=ANY_TEXT, number=ANY_TEXT)
@FUZZ
def test_any_text_in_the_address_page_answers_in_french(client, streets, street, number):
    _answers_in_french(lookup(client, rue=street, numero=number))


@given(street=ANY_TEXT, number=ANY_TEXT, amount=ANY_TEXT)
@FUZZ
def test_any_text_in_the_eligibility_check_answers_in_french(client, streets, street, number, amount):
    params = {**ELIGIBILITY, "street": street, "number": number, "amount": amount}
    _answers_in_french(client.get(reverse("microprojets:eligibility"), params))


@given(street=ANY_TEXT)
@FUZZ
def test_any_text_from_the_home_form_answers_in_french(client, streets, street):
    # The home form sends its one field to the address page.
    _answers_in_french(client.get(reverse("home"), {"rue": street}))
    _answers_in_french(lookup(client, rue=street))
