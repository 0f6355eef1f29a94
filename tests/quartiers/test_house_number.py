"""One reading of house numbers for every form: generated inputs, never an exception other than InvalidAddress."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quartiers.normalize import (
    INDEX_WORDS,
    MAX_HOUSE_NUMBER,
    HouseNumber,
    InvalidAddress,
    parse_address,
    parse_house_number,
    split_address,
)
from quartiers.services import lookup_address
from tests.quartiers.factories import QuartierFactory, StreetFactory

VIEW_SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
numbers = st.integers(min_value=1, max_value=MAX_HOUSE_NUMBER)
indexes = st.sampled_from(["", *INDEX_WORDS, *"abcdefghijklmnopqrstuvwxyz"])
spaces = st.sampled_from(["", " ", "  ", "\t", "\u00a0"])
# Text a resident, a clumsy one or an attacker could send: any unicode, digits and the words of a number.
texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789 -–/,bisterquaBT°nNo\u00a0\x00\u202e", max_size=25),
    st.from_regex(r"\A-?[0-9]{1,12}\s?[a-z]{0,8}\Z"),
)


def case(text, upper):
    return text.upper() if upper else text


@given(texts)
def test_no_text_breaks_the_number_parser(text):
    try:
        number = parse_house_number(text)
    except InvalidAddress as error:
        assert error.field == "number" and "numéro" in error.message
    else:
        assert number is None or 1 <= number.number <= MAX_HOUSE_NUMBER


@given(texts, texts)
def test_no_text_breaks_the_address_parser(street, number):
    try:
        address = parse_address(street, number)
    except InvalidAddress as error:
        assert error.field in {"street", "number"} and "numéro" in error.message
    else:
        assert address.number is None or 1 <= address.number.number <= MAX_HOUSE_NUMBER


@given(numbers, indexes, st.booleans(), spaces, spaces, st.booleans())
def test_every_usual_way_of_writing_a_number_is_read(number, index, upper, before, between, glued):
    typed = f"{before}{number}{'' if glued else between}{case(index, upper)}{before}"
    parsed = parse_house_number(typed)
    assert parsed == HouseNumber(number, index.upper() if len(index) == 1 else index)
    assert parse_house_number(str(parsed)) == parsed  # what the answer page shows reads back the same


@given(numbers, numbers, st.sampled_from(["-", " - ", "–", " à ", "/"]))
def test_a_range_is_read_from_its_smaller_number(first, second, separator):
    parsed = parse_house_number(f"{first}{separator}{second}")
    assert parsed.number == min(first, second)
    assert parse_house_number(str(parsed)) == parsed


@given(st.integers(min_value=MAX_HOUSE_NUMBER + 1, max_value=10**40), st.sampled_from(["", " bis", "b"]))
def test_a_number_too_big_is_refused_in_french(number, index):
    with pytest.raises(InvalidAddress, match="trop grand") as error:
        parse_house_number(f"{number}{index}")
    assert error.value.field == "number"


@pytest.mark.parametrize(
    ("typed", "code"),
    [("abc", "invalid"), ("0", "zero"), ("000", "zero"), ("-3", "negative"), ("99999999999", "too_big")]
    + [("12 quater zz", "invalid"), ("12 bis bis", "invalid"), ("1" * 100_000, "too_big"), ("12\x00", "invalid")],
)
def test_a_number_that_cannot_exist_is_refused(typed, code):
    with pytest.raises(InvalidAddress) as error:
        parse_house_number(typed)
    assert error.value.code == code


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_no_number_is_none(typed):
    assert parse_house_number(typed) is None


@given(
    numbers, indexes, st.sampled_from([" ", ", ", " , "]), st.sampled_from(["avenue des Glycines", "av. des Glycines"])
)
def test_a_number_typed_before_the_street_is_split_from_it(number, index, separator, street):
    # A letter is glued to the number (« 12b »): spaced, « 12 r des Lilas » is « r. des Lilas », see below.
    typed = f"{number}{' ' if len(index) > 1 else ''}{index}{separator}{street}"
    parsed, rest = split_address(typed)
    assert parsed.number == number and rest == street


def test_a_street_type_is_not_taken_for_an_index_letter():
    assert split_address("12 r. des Lilas") == (HouseNumber(12), "r. des Lilas")
    assert split_address("12 r des Lilas") == (HouseNumber(12), "r des Lilas")
    assert split_address("12b rue des Lilas") == (HouseNumber(12, "B"), "rue des Lilas")
    assert split_address("14") == (None, "14")


def test_two_different_numbers_are_refused_at_the_number_field():
    assert parse_address("12 rue des Lilas", "12 bis").number == HouseNumber(12, "bis")
    with pytest.raises(InvalidAddress) as error:
        parse_address("12 rue des Lilas", "14")
    assert error.value.field == "number" and "deux numéros différents" in error.value.message


@pytest.fixture
def glycines(db):
    qpv = QuartierFactory(name="Quartiers Neufs")
    StreetFactory(name="Avenue des Glycines", quartier=qpv, number_from=1, number_to=49, side="odd")
    StreetFactory(name="Avenue des Glycines", quartier=None, number_from=2, number_to=60, side="even")
    StreetFactory(name="Rue du 8 Mai 1945", quartier=qpv)
    return qpv


@pytest.mark.parametrize("number", ["13", 13, "13 bis", "13b", " 13 B ", "13-15", "13 ter", HouseNumber(13, "ter")])
def test_the_lookup_reads_every_form_of_a_number_the_same_way(glycines, number):
    assert lookup_address("av. des Glycines", number).quartier == glycines
    assert lookup_address("Avenue des Glycines", str(number).replace("13", "14")).status == "outside"


def test_the_lookup_reads_the_number_at_the_start_of_the_street(glycines):
    assert lookup_address("13 bis, av. des Glycines").quartier == glycines
    assert lookup_address("12 avenue des Glycines").status == "outside"
    assert lookup_address("8 Mai 1945").quartier == glycines  # a street named after a date keeps its number


STREETS = st.one_of(st.sampled_from(["Avenue des Glycines", "13 av. des Glycines", "rue inconnue", ""]), texts)


@given(street=STREETS, number=texts)
@VIEW_SETTINGS
def test_no_address_breaks_the_address_check(client, glycines, street, number):
    response = client.get(reverse("quartiers:address_lookup"), {"rue": street, "numero": number})
    assert response.status_code == 200


@given(street=STREETS, number=texts)
@VIEW_SETTINGS
def test_no_address_breaks_the_eligibility_check(client, glycines, street, number):
    params = {"collective": "oui", "non_profit": "oui", "residents": "oui", "dates": "oui"}
    response = client.get(reverse("microprojets:eligibility"), {**params, "street": street, "number": number})
    assert response.status_code == 200
