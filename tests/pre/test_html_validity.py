"""Every page and form state of the PRE is valid HTML (W3C Nu HTML checker, RGAA 8.2)."""

import pytest
from django.urls import reverse

from tests.core.test_html_validity import validate
from tests.pre.test_contact_form import VALID

pytestmark = pytest.mark.usefixtures("content")


def test_pages_and_form_states_are_valid_html(client, tmp_path, settings):
    contact = reverse("pre:contact")
    bad = {"requester_type": "", "name": "<b>x</b>", "phone": "12", "email": "x@", "message": "x" * 600}
    pages = {
        reverse("pre:index"): client.get(reverse("pre:index")),
        contact: client.get(contact),
        contact + " (erreurs)": client.post(contact, bad),
        contact + " (trop long)": client.post(contact, {"message": "x" * 200_000}),
        reverse("pre:contact_done"): client.get(reverse("pre:contact_done")),
    }
    settings.FORM_RATE_LIMIT_PER_HOUR = 0
    # Only a request that would be saved counts against the limit (a form sent back with errors does not).
    pages[contact + " (limite)"] = client.post(contact, VALID)
    assert [r.status_code for r in pages.values()] == [200, 200, 400, 413, 200, 429]
    assert validate(tmp_path, pages) == []
