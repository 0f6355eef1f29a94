"""Public pages of the quartiers section: index, detail, address check, GeoJSON endpoints, query counts."""

import json

import pytest
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from quartiers.models import Quartier, Street
from tests.quartiers.factories import SQUARE, CommuneFactory, KeyFigureFactory, QuartierFactory, StreetFactory

pytestmark = pytest.mark.usefixtures("content")


@pytest.fixture
def qn():
    return Quartier.objects.get(slug="quartiers-neufs")


def test_index_groups_neighbourhoods_by_status(client):
    response = client.get(reverse("quartiers:index"))
    assertContains(response, '<h2 id="groupe-qpv">Quartier prioritaire (QPV)</h2>', html=True)
    assertContains(response, '<h2 id="groupe-veille">Veille active</h2>', html=True)
    html = response.content.decode()
    assert html.index("Quartiers Neufs") < html.index("groupe-veille") < html.index("Les Ouches")
    assertContains(response, "QN05203M")
    assertContains(response, 'class="quartier-thumbnail"', count=3)


def test_index_map_shows_the_commune_until_a_perimeter_exists_with_a_text_alternative(client):
    response = client.get(reverse("quartiers:index"))
    data = json.loads(_json_script(response, "carte-quartiers-data"))
    assert [f["properties"]["statut"] for f in data["features"]] == ["commune"]
    assertContains(response, 'href="#carte-quartiers-alternative"')
    assertContains(response, 'id="carte-quartiers-alternative"')
    assertContains(response, "Contour de la commune de Langres")
    config = json.loads(_json_script(response, "carte-config"))
    assert config["tilesUrl"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "OpenStreetMap" in config["attribution"]


def test_tiles_url_comes_from_the_settings(client, settings):
    settings.MAP_TILES_URL = "https://tuiles.example.org/{z}/{x}/{y}.png"
    response = client.get(reverse("quartiers:detail", args=["quartiers-neufs"]))
    assert json.loads(_json_script(response, "carte-config"))["tilesUrl"] == settings.MAP_TILES_URL


def _json_script(response, element_id):
    html = response.content.decode()
    start = html.index(f'<script id="{element_id}" type="application/json">') + len(
        f'<script id="{element_id}" type="application/json">'
    )
    return html[start : html.index("</script>", start)]


def test_detail_shows_history_figures_with_source_and_year_and_the_official_map_link(client):
    response = client.get(reverse("quartiers:detail", args=["quartiers-neufs"]))
    assertContains(response, "<h1>Quartiers Neufs</h1>", html=True)
    assertContains(response, "<strong>2015 – 2023</strong>", html=True)
    assertContains(response, "QP052003")
    assertContains(response, "décret n° 2023-1314")
    assertContains(response, "1\xa0027 habitants")
    assertContains(response, "13\xa0180 € par an")
    assertContains(response, "recensement de la population (contrat de ville CV165)</a>, 2018")
    assertContains(response, 'href="https://sig.ville.gouv.fr/Territoire/QN05203M"')
    assertContains(response, "la carte montre le contour de la commune de Langres")
    assertContains(response, "Aucune rue n’est encore enregistrée pour ce quartier.")
    assertContains(response, 'id="quartier-activites"', count=0)  # the lead fills the activities include


def test_detail_of_a_neighbourhood_under_watch(client):
    response = client.get(reverse("quartiers:detail", args=["les-ouches"]))
    assertContains(response, "Veille active")
    assertContains(response, "Jusqu’en 2014")
    assertContains(response, "Depuis 2015")


def test_detail_with_a_perimeter_draws_it_lists_streets_and_offers_the_geojson(client, qn):
    qn.perimeter = json.dumps(SQUARE)
    qn.perimeter_source = "Fichier qp2024.geojson de l’ANCT"
    qn.save()
    StreetFactory(name="Rue des Tulipes", quartier=qn, number_from=1, number_to=9, side="odd")
    response = client.get(reverse("quartiers:detail", args=["quartiers-neufs"]))
    data = json.loads(_json_script(response, "carte-quartier-data"))
    assert [f["properties"]["statut"] for f in data["features"]] == ["commune", "qpv"]
    assert data["features"][1]["geometry"] == SQUARE
    assertContains(response, "<li>Rue des Tulipes (numéros 1 à 9, côté impair)</li>", html=True)
    assertContains(response, reverse("quartiers:geojson", args=["quartiers-neufs"]))
    assertContains(response, "Source du tracé : Fichier qp2024.geojson de l’ANCT")
    assertNotContains(response, "pas encore disponible")
    assertContains(response, "La carte montre aussi le contour de la commune de Langres")


def test_an_example_perimeter_is_never_presented_as_official(client, qn):
    qn.perimeter, qn.perimeter_is_example = json.dumps(SQUARE), True
    qn.save()
    response = client.get(reverse("quartiers:detail", args=["quartiers-neufs"]))
    assertContains(response, "ce n’est pas le périmètre officiel")
    assertContains(response, "Exemple")
    feature = client.get(reverse("quartiers:geojson", args=["quartiers-neufs"])).json()["features"][0]
    assert feature["properties"]["exemple"] is True


def test_unpublished_or_unknown_neighbourhood_is_404(client, qn):
    assert client.get(reverse("quartiers:detail", args=["inconnu"])).status_code == 404
    qn.is_published = False
    qn.save()
    assert client.get(reverse("quartiers:detail", args=["quartiers-neufs"])).status_code == 404
    assertNotContains(client.get(reverse("quartiers:index")), "QN05203M")


def test_geojson_of_one_neighbourhood(client, qn):
    assert client.get(reverse("quartiers:geojson", args=["quartiers-neufs"])).status_code == 404  # no perimeter yet
    qn.perimeter = json.dumps(SQUARE)
    qn.save()
    response = client.get(reverse("quartiers:geojson", args=["quartiers-neufs"]))
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    props = data["features"][0]["properties"]
    assert props["code_qpv"] == "QN05203M" and props["statut"] == "qpv" and props["exemple"] is False
    assert props["url"] == "http://testserver/quartiers/quartiers-neufs/"


def test_perimeters_geojson_lists_published_perimeters(client, qn):
    assert client.get(reverse("quartiers:perimeters_geojson")).json()["features"] == []
    qn.perimeter = json.dumps(SQUARE)
    qn.save()
    QuartierFactory(with_perimeter=True, is_published=False)
    response = client.get(reverse("quartiers:perimeters_geojson"))
    assert response["Content-Type"] == "application/geo+json"
    assert [f["properties"]["slug"] for f in response.json()["features"]] == ["quartiers-neufs"]


def test_geojson_is_open_data_readable_from_any_site(client):
    # Same headers as the contrat de ville's CSV/JSON: CORS for scripts, CORP for embedding from another site.
    response = client.get(reverse("quartiers:perimeters_geojson"))
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"


def test_pages_set_no_cookie(client):
    for url in [reverse("quartiers:index"), reverse("quartiers:address_lookup") + "?rue=rue+des+tulipes"]:
        assert client.get(url).cookies == {}


def test_sitemap_lists_the_section_each_neighbourhood_and_the_address_check(client):
    response = client.get(reverse("sitemap"))
    for url in ["/quartiers/", "/quartiers/quartiers-neufs/", "/quartiers/turenne/", "/quartiers/mon-adresse/"]:
        assertContains(response, f"http://testserver{url}</loc>")


# --- Address check -------------------------------------------------------------------------------------------------


@pytest.fixture
def streets(qn):
    StreetFactory(name="Rue des Tulipes", quartier=qn)
    StreetFactory(name="Avenue des Glycines", quartier=qn, number_from=1, number_to=49, side="odd")
    StreetFactory(name="Avenue des Glycines", quartier=None, number_from=2, number_to=60, side="even")
    StreetFactory(name="Rue des Ouches", quartier=Quartier.objects.get(slug="les-ouches"))
    StreetFactory(name="Rue Diderot", quartier=None)


def lookup(client, **params):
    return client.get(reverse("quartiers:address_lookup"), params)


def test_empty_form_shows_suggestions_in_a_datalist(client, streets):
    response = lookup(client)
    assertContains(
        response, "<title>Mon adresse est-elle dans le quartier prioritaire ? – Ville de Langres</title>", html=True
    )
    assertContains(response, 'list="rues-connues"')
    assertContains(response, '<option value="Rue des Tulipes"></option>', html=True)
    assertContains(response, '<option value="Avenue des Glycines"></option>', count=1, html=True)
    assertContains(response, 'method="get"')
    assertNotContains(response, "Le formulaire contient")


def test_a_street_of_the_qpv_gets_the_positive_answer_with_what_it_opens(client, streets):
    response = lookup(client, rue="r. des TULIPES", numero="")
    assertContains(response, "Oui : cette adresse est dans le quartier prioritaire Quartiers Neufs")
    for name in ["microprojets:index", "pre:index", "contrat_ville:index"]:
        assertContains(response, f'href="{reverse(name)}"')
    assertContains(response, 'href="/quartiers/quartiers-neufs/"')


def test_a_shared_street_answers_by_number(client, streets):
    assertContains(lookup(client, rue="av des glycines", numero="13 bis"), "Oui : cette adresse est dans")
    assertContains(lookup(client, rue="av des glycines", numero="14"), "Non : cette adresse n’est pas dans")
    assertContains(lookup(client, rue="av des glycines"), "indiquez votre numéro")
    # The home page's form has one field: the number comes with the street.
    assertContains(lookup(client, rue="13 bis, av des glycines"), "Oui : cette adresse est dans")
    assertContains(lookup(client, rue="12 avenue des Glycines"), "Non : cette adresse n’est pas dans")


def test_a_street_under_watch_and_outside(client, streets):
    response = lookup(client, rue="rue des ouches")
    assertContains(response, "en veille active")
    assertNotContains(response, "Ce que le quartier vous ouvre")
    assertContains(response, "03 25 87 77 90")
    response = lookup(client, rue="rue diderot")
    assertContains(response, "Non : cette adresse n’est pas dans un quartier")
    assertContains(response, "03 25 87 77 90")


def test_an_unknown_street_gives_the_service_contact(client, streets):
    response = lookup(client, rue="rue de nulle part")
    assertContains(response, "Rue inconnue")
    assertContains(response, "03 25 87 77 90")
    assertContains(response, "sebastien.bertrand@langres.fr")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"rue": ""}, "Saisissez le nom de votre rue"),
        ({"rue": "x"}, "Saisissez au moins 2 caractères"),
        ({"rue": "a" * 500}, "Ce nom est trop long (500 caractères)"),
        ({"rue": "🙂🙂🙂"}, "ni lettre ni chiffre"),
        ({"rue": "rue des tulipes", "numero": "douze"}, "Saisissez un numéro de 1 à 99999"),
        ({"rue": "rue des tulipes", "numero": "0"}, "Le numéro 0 n’existe pas"),
        ({"rue": "0 rue des tulipes"}, "Le numéro 0 n’existe pas"),
        ({"rue": "12 rue des tulipes", "numero": "14"}, "deux numéros différents"),
    ],
)
def test_bad_input_gets_a_french_message_and_an_error_title(client, streets, params, message):
    response = lookup(client, **params)
    assert response.status_code == 200
    assertContains(response, message)
    assertContains(
        response,
        "<title>Erreur – Mon adresse est-elle dans le quartier prioritaire ? – Ville de Langres</title>",
        html=True,
    )
    assertContains(response, 'id="erreurs"')


@pytest.mark.parametrize(
    "typed",
    [
        '<script>alert("x")</script>',
        "'; DROP TABLE quartiers_street; --",
        "rue 🙂 des tulipes 🙂",
        '" onfocus="alert(1)',
    ],
)
def test_typed_text_is_shown_back_escaped_and_never_run_as_html_or_sql(client, streets, typed):
    response = lookup(client, rue=typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{escape(typed)}"' in html  # kept in the field, as typed, escaped
    if set(typed) & set("<>\"'"):
        assert typed not in html  # never as markup
    assert Street.objects.count() == 5  # the SQL was a street name, not a statement


def test_unrelated_parameters_show_the_empty_form(client, streets):
    response = lookup(client, numero="12")
    assertNotContains(response, "Le formulaire contient")


# --- Query counts --------------------------------------------------------------------------------------------------


def populate(n):
    """n neighbourhoods, each with a perimeter, a figure and 1 street, and n streets in Quartiers Neufs."""
    CommuneFactory()
    qn = Quartier.objects.get(slug="quartiers-neufs")
    qn.perimeter = json.dumps(SQUARE)
    qn.save()
    for _ in range(n):
        quartier = QuartierFactory(with_perimeter=True)
        KeyFigureFactory(quartier=quartier)
        StreetFactory(quartier=quartier)
        StreetFactory(quartier=qn)


PAGES = [
    ("quartiers:index", []),
    ("quartiers:detail", ["quartiers-neufs"]),
    ("quartiers:address_lookup", []),
    ("quartiers:perimeters_geojson", []),
    ("quartiers:geojson", ["quartiers-neufs"]),
]


def count_queries(client, url, params=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params)  # warm-up
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_page_queries_do_not_grow_with_neighbourhoods_and_streets(client, django_assert_num_queries, name, args):
    url = reverse(name, args=args)
    populate(3)
    small = count_queries(client, url)
    populate(197)
    assert Quartier.objects.count() >= 200 and Street.objects.count() >= 400
    with django_assert_num_queries(small):
        client.get(url)
    # The page’s own rows, projects and microprojects done there, the commune, the identity, the section’s title,
    # the explanation of the status, the glossary (once per request).
    assert small <= 12


def test_address_answer_queries_do_not_grow(client, django_assert_num_queries):
    # The street asked for exists in both runs (factory names depend on the tests run before).
    StreetFactory(name="Rue numéro 1", quartier=Quartier.objects.get(slug="quartiers-neufs"))
    populate(3)
    params = {"rue": "Rue numéro 1", "numero": "3"}
    small = count_queries(client, reverse("quartiers:address_lookup"), params)
    populate(197)
    with django_assert_num_queries(small):
        client.get(reverse("quartiers:address_lookup"), params)


def test_home_page_offers_the_address_check(client, streets):
    response = client.get(reverse("home"))
    assertContains(
        response,
        '<h2 id="titre-mon-adresse" class="h4 home-task-title"><img src="/static/img/pictos/maison.svg" alt="" '
        'width="40" height="40"> Mon adresse est-elle dans le quartier prioritaire ?</h2>',
        html=True,
    )
    assertContains(response, f'action="{reverse("quartiers:address_lookup")}"')
    assert response.cookies == {}


def test_detail_shows_photos_with_their_alt_text(client, qn):
    from django.core.files.base import ContentFile

    photo = qn.photos.model(
        quartier=qn, alt="La place centrale du quartier, bordée d’immeubles", caption="La place", credit="Ville"
    )
    photo.image.save("place.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    response = client.get(reverse("quartiers:detail", args=["quartiers-neufs"]))
    assertContains(response, 'alt="La place centrale du quartier, bordée d’immeubles"')
    assertContains(response, "La place © Ville")


def test_detail_breadcrumb_names_the_section_as_its_page_is_titled(client, qn):
    from langres_portal.core.models import Page

    Page.objects.filter(slug="quartiers").update(title="Nos quartiers")
    response = client.get(reverse("quartiers:detail", args=[qn.slug]))
    crumb = f'<li class="breadcrumb-item"><a href="{reverse("quartiers:index")}">Nos quartiers</a></li>'
    assertContains(response, crumb, html=True)
