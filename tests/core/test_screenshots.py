"""Screenshots of the main pages at 390 and 1,280 px (issue 13): `make docs-screenshots` writes them to
docs/captures/, where they are committed; in the normal suite they go to a temporary folder, and the pages are
checked all the same (axe-core, touch targets, one h1)."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from quartiers.models import Quartier
from tests.browser import assert_no_axe_violations, assert_targets_big_enough

pytestmark = [pytest.mark.browser]

CAPTURES = Path(__file__).resolve().parents[2] / "docs" / "captures"
WIDTHS = [390, 1280]


@pytest.fixture
def demo_site(content):
    call_command("generate_demo_data", verbosity=0)


def pages():
    qpv = Quartier.objects.filter(status=Quartier.Status.QPV).order_by("order", "pk").first()
    return [
        ("accueil", reverse("home")),
        ("quartier-prioritaire", qpv.get_absolute_url()),
        ("reussite-educative", reverse("pre:index")),
        ("formulaire-microprojet", reverse("microprojets:apply")),
        ("carte-des-projets", reverse("contrat_ville:map")),
    ]


def test_screenshots_of_the_main_pages_at_390_and_1280_px(browse, live_server, demo_site, tmp_path):
    folder = CAPTURES if os.environ.get("DOCS_CAPTURES") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        browse.set_viewport_size({"width": width, "height": 900})
        for name, url in pages():
            response = browse.goto(live_server.url + url)
            assert response.status == 200, url
            assert browse.locator("h1").count() == 1, url
            assert_no_axe_violations(browse)
            assert_targets_big_enough(browse)
            path = folder / f"{name}-{width}.png"
            browse.screenshot(path=path, full_page=True)
            with Image.open(path) as image:
                assert image.width == width and image.height >= 900, path
