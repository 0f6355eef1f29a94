"""The Atom feed sends a project's plain-text summary as text: a summary holding markup stays words in a reader."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from .factories import ProjectFactory

ATOM = "{http://www.w3.org/2005/Atom}"
pytestmark = pytest.mark.django_db


def feed_entries(client):
    response = client.get(reverse("contrat_ville:feed"))
    assert response.status_code == 200
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def test_summary_with_a_script_is_sent_as_text_not_as_html(client):
    summary = 'Atelier <script>alert("x")</script> & <b onmouseover="y">goûter</b>'
    ProjectFactory(title="Atelier vélo", summary=summary)
    (entry,) = feed_entries(client)
    element = entry.find(f"{ATOM}summary")
    # type="text": a reader shows these characters as they are; type="html" would make them markup.
    assert element.get("type") == "text"
    assert element.text == summary
    assert entry.find(f"{ATOM}title").get("type", "text") == "text"
