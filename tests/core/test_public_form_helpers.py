import pytest
from django import forms

from langres_portal.core.forms import HoneypotMixin
from langres_portal.core.ratelimit import body_too_large


class ContactForm(HoneypotMixin, forms.Form):
    name = forms.CharField()


def test_honeypot_filled_by_a_robot_rejects_the_form():
    form = ContactForm({"name": "Léa", "website": "http://spam.example"})
    assert not form.is_valid()
    assert "website" in form.errors


def test_honeypot_left_empty_by_a_person_passes():
    assert ContactForm({"name": "Léa"}).is_valid()


def test_rate_limit_key_never_contains_the_ip(rf):
    from langres_portal.core.ratelimit import client_key

    assert "10.0.0.1" not in client_key(rf.get("/", REMOTE_ADDR="10.0.0.1"))


def test_behind_a_proxy_the_client_address_comes_from_its_header(rf, settings):
    from langres_portal.core.ratelimit import client_key

    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    one = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.1")
    two = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.2")
    assert client_key(one) != client_key(two)


@pytest.mark.parametrize(
    ("content_length", "too_large"), [("100", False), ("101", True), ("", False), ("abc", False), (None, False)]
)
def test_body_size_guard_reads_the_announced_length_and_survives_a_malformed_one(rf, content_length, too_large):
    request = rf.post("/formulaire/")
    if content_length is None:
        del request.META["CONTENT_LENGTH"]
    else:
        request.META["CONTENT_LENGTH"] = content_length
    assert body_too_large(request, 100) is too_large
