"""The street directory and lookup_address: matching rules, number ranges and parity, the four answers."""

import pytest

from quartiers.models import Quartier, Street
from quartiers.normalize import normalize_street, split_leading_number, strip_postcode
from quartiers.services import AddressLookup, lookup_address
from tests.quartiers.factories import QuartierFactory, StreetFactory


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("AVENUE DU GÉNÉRAL DE GAULLE", "Avenue du Général de Gaulle"),
        ("av. du general de gaulle", "Avenue du Général de Gaulle"),
        ("Av Général-de-Gaulle", "Avenue du Général de Gaulle"),
        ("bd de Lattre de Tassigny", "Boulevard de Lattre de Tassigny"),
        ("r. des lilas", "Rue des Lilas"),
        ("pl. de l'Église", "Place de l’Église"),
        ("chem. des Écoliers", "Chemin des Écoliers"),
        ("imp. des Œillets", "Impasse des Oeillets"),
        ("all. des Jonquilles", "Allée des Jonquilles"),
        ("  rue   d’Alsace  ", "Rue d'Alsace"),
        ("rue st-didier", "Rue Saint-Didier"),
    ],
)
def test_matching_ignores_case_accents_hyphens_apostrophes_and_abbreviations(typed, stored):
    assert normalize_street(typed) == normalize_street(stored)


def test_different_streets_stay_different():
    assert normalize_street("Rue des Lilas") != normalize_street("Impasse des Lilas")
    assert normalize_street("Rue des Lilas") != normalize_street("Rue des Lys")


def test_a_leading_house_number_is_split_from_the_street():
    assert split_leading_number("12 bis, rue des Lilas") == (12, "rue des Lilas")
    assert split_leading_number("rue des Lilas") == (None, "rue des Lilas")
    assert split_leading_number("14") == (None, "14")
    assert strip_postcode("rue des Lilas, 52200 Langres") == "rue des Lilas"


@pytest.fixture
def directory(db):
    qpv = QuartierFactory(name="Quartiers Neufs", slug="quartiers-neufs", code_qpv="QN05203M")
    veille = QuartierFactory(name="Les Ouches", slug="les-ouches", veille=True)
    cucs = QuartierFactory(name="Ancien", slug="ancien", status=Quartier.Status.CUCS)
    StreetFactory(name="Rue des Tulipes", quartier=qpv)
    StreetFactory(name="Avenue du Général de Gaulle", quartier=qpv, number_from=1, number_to=49, side="odd")
    StreetFactory(name="Avenue du Général de Gaulle", quartier=None, number_from=2, number_to=60, side="even")
    StreetFactory(name="Rue des Ouches", quartier=veille)
    StreetFactory(name="Rue Diderot", quartier=None)
    StreetFactory(name="Rue du Vieux Quartier", quartier=cucs)
    StreetFactory(name="Rue Longue", quartier=qpv, number_from=1, number_to=20)
    StreetFactory(name="Rue Longue", quartier=veille, number_from=21)
    return {"qpv": qpv, "veille": veille}


def test_a_street_of_the_qpv_is_eligible(directory):
    result = lookup_address("RUE DES TULIPES")
    assert result.status == "qpv" and result.quartier == directory["qpv"] and result.is_eligible
    assert result.street.name == "Rue des Tulipes"


def test_a_street_under_watch_is_eligible(directory):
    result = lookup_address("r. des ouches", 3)
    assert result == AddressLookup("veille", directory["veille"], result.street) and result.is_eligible


@pytest.mark.parametrize(
    ("number", "status"), [(1, "qpv"), (49, "qpv"), (51, "outside"), (2, "outside"), (12, "outside"), (60, "outside")]
)
def test_a_street_shared_between_zones_answers_by_number_range_and_parity(directory, number, status):
    result = lookup_address("av. général de gaulle", number)
    assert result.status == status
    assert result.is_eligible is (status == "qpv")


def test_a_number_typed_in_the_street_field_is_used(directory):
    assert lookup_address("13 av. du Général de Gaulle").status == "qpv"
    assert lookup_address("13, av. du Général de Gaulle, 52200 Langres").status == "qpv"
    assert lookup_address("av. du Général de Gaulle 52200 LANGRES", 14).status == "outside"
    assert lookup_address("14 av. du Général de Gaulle").status == "outside"


def test_a_shared_street_without_number_asks_for_the_number(directory):
    result = lookup_address("Avenue du Général de Gaulle")
    assert result.status == "unknown" and result.needs_number and result.street is not None
    assert not result.is_eligible


def test_a_street_split_between_two_eligible_zones_needs_the_number(directory):
    assert lookup_address("rue longue").needs_number
    assert lookup_address("rue longue", 5).quartier == directory["qpv"]
    assert lookup_address("rue longue", 500).quartier == directory["veille"]


def test_a_known_street_outside_any_neighbourhood_is_outside(directory):
    result = lookup_address("rue diderot")
    assert result.status == "outside" and result.quartier is None and not result.is_eligible


def test_a_former_cucs_neighbourhood_is_outside(directory):
    result = lookup_address("rue du vieux quartier")
    assert result.status == "outside" and result.quartier.slug == "ancien"


@pytest.mark.parametrize(
    "typed", ["rue inexistante", "", "x", "🙂🙂", "'; DROP TABLE quartiers_street; --", "<script>"]
)
def test_an_unknown_street_is_unknown(directory, typed):
    assert lookup_address(typed) == AddressLookup("unknown", None, None)
    assert Street.objects.count() == 8


def test_the_street_type_may_be_left_out_when_only_one_street_has_that_name(directory):
    assert lookup_address("Tulipes").status == "qpv"
    StreetFactory(name="Impasse des Tulipes", quartier=None)
    assert lookup_address("Tulipes").status == "unknown"
    assert lookup_address("rue des tulipes").status == "qpv"


def test_the_lookup_makes_one_query(directory, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        lookup_address("rue des tulipes", 4)
