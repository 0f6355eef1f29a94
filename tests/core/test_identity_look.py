"""The town's look from the site identity (issue 13, item 8): main colour, banner, hours and town link."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from langres_portal.core.colors import contrast_ratio, darker, validate_main_color
from langres_portal.core.hooks import all_sitemaps
from langres_portal.core.models import SiteIdentity

pytestmark = pytest.mark.usefixtures("content")

hex_colors = st.integers(min_value=0, max_value=0xFFFFFF).map(lambda n: f"#{n:06x}")


def test_contrast_ratio_follows_wcag():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the lightest AA grey


@pytest.mark.parametrize("color", ["#1b4f8a", "#767676", "#000000", "#7A1F3D"])
def test_dark_enough_colours_are_accepted(color):
    validate_main_color(color)


@pytest.mark.parametrize(
    "color, message",
    [
        ("#777777", "4,48 pour 1"),
        ("#ffcc00", "pas assez contrastée"),
        ("#ffffff", "1,00 pour 1"),
        ("bleu", "hexadécimal"),
        ("#12345", "hexadécimal"),
        ("#1b4f8a ", "hexadécimal"),
        ("", "hexadécimal"),
    ],
)
def test_light_or_malformed_colours_are_refused_in_french(color, message):
    with pytest.raises(ValidationError, match=message):
        validate_main_color(color)


@given(color=hex_colors)
@settings(max_examples=200, deadline=None)
def test_a_colour_is_accepted_exactly_when_it_reaches_4_5_to_1_and_its_dark_shade_too(color):
    accepted = True
    try:
        validate_main_color(color)
    except ValidationError:
        accepted = False
    assert accepted == (contrast_ratio(color, "#ffffff") >= 4.5)
    if accepted:
        assert contrast_ratio(darker(color), "#ffffff") >= contrast_ratio(color, "#ffffff")


def _identity_post_data(admin_client):
    url = reverse("admin:core_siteidentity_change", args=[SiteIdentity.objects.get().pk])
    form = admin_client.get(url).context["adminform"].form
    files = {"logo", "banner"}
    data = {name: value for name, value in form.initial.items() if value is not None and name not in files}
    return url, data


def test_admin_refuses_a_pale_main_colour_at_the_field_and_keeps_what_was_typed(admin_client):
    url, data = _identity_post_data(admin_client)
    response = admin_client.post(url, {**data, "main_color": "#ffcc00"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["main_color"]
    assert "pas assez contrastée avec le blanc" in errors["main_color"][0]
    assert 'value="#ffcc00"' in response.content.decode()
    assert SiteIdentity.objects.get().main_color == "#1b4f8a"


def test_admin_saves_a_dark_main_colour_and_the_stylesheet_serves_it(admin_client, client):
    url, data = _identity_post_data(admin_client)
    response = admin_client.post(url, {**data, "main_color": "#7a1f3d"})
    assert response.status_code == 302
    css = client.get(reverse("theme_css")).content.decode()
    assert "--site-primary: #7a1f3d;" in css
    assert "--bs-primary-rgb: 122, 31, 61;" in css
    assert "--site-primary-dark: #5c172e;" in css


def _png(width=1600, height=500):
    out = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 140)).save(out, format="PNG")
    return SimpleUploadedFile("bandeau.png", out.getvalue(), content_type="image/png")


def test_admin_refuses_a_banner_without_alternative_text_at_the_field(admin_client):
    url, data = _identity_post_data(admin_client)
    response = admin_client.post(url, {**data, "banner": _png(), "banner_alt": " "})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "banner_alt" in errors and "Décrivez ce que montre la photo" in errors["banner_alt"][0]
    assert not SiteIdentity.objects.get().banner


def test_the_banner_shows_on_the_home_page_only_with_its_alternative_text(client):
    identity = SiteIdentity.objects.get()
    identity.banner = _png()
    identity.banner_alt = "Les toits de la ville vus des remparts"
    identity.save()
    home = client.get(reverse("home")).content.decode()
    assert re.search(r'<img src="/media/site/[^"]+" alt="Les toits de la ville vus des remparts"', home)
    assert "site-banner" not in client.get(reverse("contact")).content.decode()


def test_every_page_shows_the_hours_and_the_town_link_at_the_top(client):
    html = client.get(reverse("contact")).content.decode()
    top = html[html.index('<header class="site-header') : html.index('class="site-brand')]
    assert "Du lundi au vendredi, sur rendez-vous de préférence." in top
    footer = html[html.index('<footer class="site-footer') :]
    assert (
        "Horaires : Du lundi au vendredi, sur rendez-vous de préférence." in footer
    )  # the phone's top bar hides them
    link = re.search(r'<a class="site-main-link" href="https://www.langres.fr/">(.*?)</a>', top).group(1)
    assert re.sub(r"<[^>]+>", "", link) == "Site officiel : www.langres.fr"  # « Site officiel » hidden on phones only


def test_the_stylesheet_address_changes_with_the_identity_and_is_cached_for_a_year_at_that_address(client):
    identity = SiteIdentity.objects.get()
    html = client.get(reverse("home")).content.decode()
    href = f"{reverse('theme_css')}?v={identity.theme_version}"
    assert f'<link rel="stylesheet" href="{href}">' in html
    response = client.get(href)
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get(reverse("theme_css"), {"v": "ancienne"})["Cache-Control"] == "public, max-age=300"
    before = identity.theme_version
    identity.save()  # updated_at moves on: a new address, that browsers have never cached
    after = SiteIdentity.objects.get().theme_version
    assert after != before
    assert f"v={after}" in client.get(reverse("home")).content.decode()


def test_the_stylesheet_answers_before_the_identity_exists(client):
    SiteIdentity.objects.all().delete()
    response = client.get(reverse("theme_css"))
    assert response.status_code == 200 and "--site-primary: #1b4f8a;" in response.content.decode()


def test_no_public_page_has_an_inline_style(client):
    urls = [s().location(item) for s in all_sitemaps().values() for item in s().items()]
    for url in urls:
        html = client.get(url).content.decode()
        assert not re.search(r"<[^>]+\sstyle=", html), url
        assert "<style" not in html, url


@given(color=st.text(max_size=20))
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_text_as_main_colour_is_refused_or_accepted_in_french_never_crashes(color):
    try:
        validate_main_color(color)
    except ValidationError as error:
        assert error.messages[0].startswith(("Saisissez", "Cette couleur"))
