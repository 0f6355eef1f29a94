"""The section's pages, with projects, photos and charts, are valid HTML for the W3C Nu HTML checker."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from contrat_ville.images import make_renditions
from contrat_ville.models import Pillar, Project
from tests.core.test_html_validity import validate

pytestmark = pytest.mark.usefixtures("content")


def test_section_pages_with_projects_are_valid_html(client, tmp_path):
    call_command("generate_demo_data", projects=15, verbosity=0)
    project = Project.objects.first()
    project.budget, project.funding, project.participants = 1000, 500, 12
    project.place, project.outcome = "Maison de quartier", "<p>Vingt séances.</p>"
    project.save()
    project.cofunders.create(name="État (ANCT)", amount=300)
    project.cofunders.create(name="Caisse d’allocations familiales")
    out = io.BytesIO()
    Image.new("RGB", (900, 600)).save(out, format="PNG")
    renditions = make_renditions(SimpleUploadedFile("p.png", out.getvalue()))
    project.photos.create(small=renditions.small, large=renditions.large, alt="Une photo", caption="Légende")
    catalogue = reverse("contrat_ville:projects")
    urls = [
        reverse("home"),
        reverse("contrat_ville:index"),
        catalogue,
        catalogue + "?pilier=cohesion-sociale&theme=sport&annee=2019&page=2",
        catalogue + "?q=%3Cscript%3E&annee=zz",
        reverse("contrat_ville:figures"),
        reverse("contrat_ville:map"),
        project.get_absolute_url(),
    ] + [p.get_absolute_url() for p in Pillar.objects.all()]
    pages = {url: client.get(url) for url in urls}
    assert validate(tmp_path, pages) == []
