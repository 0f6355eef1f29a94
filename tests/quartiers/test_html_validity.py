"""The quartiers pages in every state are valid HTML for the Nu HTML checker (RGAA 8.2)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.core.test_html_validity import validate

pytestmark = pytest.mark.usefixtures("content")


def test_quartiers_pages_in_every_state_are_valid_html(client, tmp_path):
    call_command("generate_demo_data", projects=0, applications=0, verbosity=0)
    lookup = reverse("quartiers:address_lookup")
    urls = [
        reverse("quartiers:index"),
        reverse("quartiers:detail", args=["quartiers-neufs"]),
        reverse("quartiers:detail", args=["turenne"]),
        lookup,
        lookup + "?rue=",
        lookup + "?rue=" + "a" * 500,
        lookup + "?rue=rue+des+tulipes",
        lookup + "?rue=impasse+des+lilas",
        lookup + "?rue=av+des+glycines",
        lookup + "?rue=av+des+glycines&numero=14",
        lookup + "?rue=%3Cscript%3E",
    ]
    pages = {url: client.get(url) for url in urls}
    assert validate(tmp_path, pages) == []
