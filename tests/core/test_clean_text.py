"""Text with the replacement character (invalid UTF-8) or control characters is refused at its field, on every
public form; ordinary text, and line breaks in a multi-line field, pass."""

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from langres_portal.core.forms import INVALID_TEXT_MESSAGE, invalid_characters
from microprojets.forms.public import ApplicationForm, BudgetLineForm, ComplementForm, EligibilityForm, ResendLinkForm
from pre.forms import ContactRequestForm
from quartiers.forms import AddressLookupForm

# (form, field, multi-line?) for each text field a visitor fills in, one or two per public form.
FIELDS = [
    (ContactRequestForm, "name", False),
    (ContactRequestForm, "message", True),
    (ApplicationForm, "organisation_name", False),
    (ApplicationForm, "description", True),
    (BudgetLineForm, "label", False),
    (ComplementForm, "message", True),
    (ResendLinkForm, "email", False),
    (EligibilityForm, "street", False),
    (AddressLookupForm, "rue", False),
]

BAD = st.sampled_from(["\ufffd", "\x01", "\x08", "\x0b", "\x1b", "\x7f", "\x85", "\x9f"])
# What people type: letters of any script, digits, punctuation, spaces (no control characters).
GOOD = st.text(st.characters(categories=["L", "M", "N", "P", "S", "Zs"], exclude_characters="\ufffd"), max_size=40)


def errors_of(form_class, field, value):
    form = form_class(data={field: value})
    form.is_valid()
    return form.errors.get(field, [])


@pytest.mark.django_db
@pytest.mark.parametrize(("form_class", "field", "_multiline"), FIELDS)
@given(before=GOOD, bad=BAD, after=GOOD)
@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_replacement_or_control_character_is_refused_at_its_field(form_class, field, _multiline, before, bad, after):
    assert INVALID_TEXT_MESSAGE in errors_of(form_class, field, f"a{before}{bad}{after}b")


@pytest.mark.django_db
@pytest.mark.parametrize(("form_class", "field", "multiline"), FIELDS)
@given(text=GOOD)
@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_ordinary_text_is_not_refused_for_its_characters(form_class, field, multiline, text):
    value = f"a{text}\r\n\tb" if multiline else f"a{text}b"
    assert INVALID_TEXT_MESSAGE not in errors_of(form_class, field, value)


def test_a_tab_or_line_break_is_refused_in_a_single_line_field():
    assert invalid_characters("rue\tdes Lilas", multiline=False) == ["\t"]
    assert invalid_characters("rue des\nLilas", multiline=True) == []


def test_the_pre_request_with_mojibake_is_not_saved_and_says_why_at_the_field(client, content):
    from pre.models import ContactRequest
    from tests.pre.test_contact_form import URL, VALID

    # Latin-1 bytes where UTF-8 is expected: Django decodes them as U+FFFD.
    body = "&".join(f"{k}={v}" for k, v in {**VALID, "preferred_moments": "morning"}.items())
    body = body.replace("Amina", "Am%E9lie")
    response = client.post(URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert INVALID_TEXT_MESSAGE in response.context["form"].errors["name"]
    assert not ContactRequest.objects.exists()
