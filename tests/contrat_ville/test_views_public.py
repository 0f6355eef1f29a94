import csv
import io
import json
import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from contrat_ville.models import Pillar, Project, Theme
from quartiers.models import Quartier
from tests.contrat_ville.factories import ProjectFactory, bulk_projects

pytestmark = pytest.mark.usefixtures("content")


@pytest.fixture
def projects():
    social, cadre = (
        Pillar.objects.get(slug="cohesion-sociale"),
        Pillar.objects.get(slug="renouvellement-urbain-cadre-de-vie"),
    )
    sport, culture = Theme.objects.get(slug="sport"), Theme.objects.get(slug="culture")
    neufs = Quartier.objects.get(slug="quartiers-neufs")
    a = ProjectFactory(title="Tournoi de foot", pillar=social, year_start=2018, porteur_kind="association")
    a.themes.add(sport)
    a.quartiers.add(neufs)
    b = ProjectFactory(title="Fresque murale", pillar=cadre, year_start=2021, year_end=2022, porteur_kind="habitants")
    b.themes.add(culture)
    c = ProjectFactory(title="Concert de quartier", pillar=social, year_start=2022, porteur_kind="habitants")
    c.themes.add(culture)
    ProjectFactory(title="Projet caché", pillar=social, is_published=False)
    return a, b, c


def titles(response):
    return {p.title for p in response.context["page_obj"].object_list}


def test_index_shows_seed_text_contracts_pillars_partners_conseil_and_count(client, projects):
    response = client.get(reverse("contrat_ville:index"))
    assertContains(response, "Depuis 2017, ce sont 22 projets")
    assertContains(response, "3 projets dans le catalogue")
    assertContains(response, "Terminé")
    assertContains(response, "En cours")
    assertContains(response, "jusqu’au 31 décembre 2023")
    assertContains(response, "Communauté de communes du Grand Langres")
    assertContains(response, "Ma vie, mon quartier !")
    for pillar in Pillar.objects.all():
        assertContains(response, f'href="{pillar.get_absolute_url()}"')
    assertNotContains(response, "Projet caché")


def test_index_video_is_a_poster_with_a_link_and_no_iframe(client):
    response = client.get(reverse("contrat_ville:index"))
    assertNotContains(response, "<iframe")
    assertContains(response, 'data-embed="https://www.youtube-nocookie.com/embed/T8xaowh2yWQ?autoplay=1&amp;start=39"')
    assertContains(response, 'href="https://www.youtube.com/watch?v=T8xaowh2yWQ&amp;t=39s"')
    assertContains(response, "contrat_ville/video.js")
    html = response.content.decode()
    assert "youtube.com/embed" not in html and "i.ytimg.com" not in html


def test_video_url_edited_in_admin_changes_the_page(admin_client):
    from contrat_ville.models import Video

    video = Video.objects.get()
    response = admin_client.post(
        reverse("admin:contrat_ville_video_change", args=[video.pk]),
        {"title": "Nouvelle vidéo", "url": "https://youtu.be/abcdefghijk", "order": 0, "is_published": "on"},
    )
    assert response.status_code == 302
    assertContains(admin_client.get(reverse("contrat_ville:index")), "youtube-nocookie.com/embed/abcdefghijk")
    response = admin_client.post(
        reverse("admin:contrat_ville_video_change", args=[video.pk]),
        {"title": "X", "url": "https://evil.example/x", "order": 0},
    )
    assertContains(response, "Saisissez l’adresse d’une vidéo YouTube")


def test_catalogue_filters_combine_and_count(client, projects):
    url = reverse("contrat_ville:projects")
    assert titles(client.get(url)) == {"Tournoi de foot", "Fresque murale", "Concert de quartier"}
    response = client.get(url, {"pilier": "cohesion-sociale", "theme": "culture"})
    assert titles(response) == {"Concert de quartier"}
    assertContains(response, "1 projet pour ces critères")
    assert titles(client.get(url, {"annee": 2022})) == {"Fresque murale", "Concert de quartier"}
    assert titles(client.get(url, {"quartier": "quartiers-neufs"})) == {"Tournoi de foot"}
    assert titles(client.get(url, {"porteur": "habitants", "q": "fresque"})) == {"Fresque murale"}
    assertContains(client.get(url), "3 projets")


def test_catalogue_keeps_filters_in_pagination_links(client):
    bulk_projects(30, Pillar.objects.get(slug="cohesion-sociale"))
    response = client.get(reverse("contrat_ville:projects"), {"pilier": "cohesion-sociale", "page": 2})
    assert len(response.context["page_obj"].object_list) == 12
    assertContains(response, 'href="?pilier=cohesion-sociale&amp;page=3#resultats"')
    assertContains(response, "30 projets pour ces critères")


@pytest.mark.parametrize(
    "params",
    [
        {"pilier": "inconnu"},
        {"theme": "'; DROP TABLE x; --"},
        {"annee": "deux-mille"},
        {"annee": "99999999999999999999"},
        {"quartier": "nulle-part", "porteur": "martien"},
        {"page": "9999"},
        {"page": "abc"},
        {"page": "-1"},
        {"q": "x" * 1000},
        {"q": "<script>alert('x')</script>"},
        {"q": "\x00"},
    ],
)
def test_catalogue_survives_bad_input(client, projects, params):
    response = client.get(reverse("contrat_ville:projects"), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert 'maxlength="100"' in html


def test_unknown_filter_is_ignored_and_script_search_is_escaped(client, projects):
    response = client.get(reverse("contrat_ville:projects"), {"pilier": "inconnu", "q": "<script>x</script>"})
    assertContains(response, "&lt;script&gt;x&lt;/script&gt;")
    assert response.context["filters"] == {"q": "<script>x</script>"}
    assert len(client.get(reverse("contrat_ville:projects"), {"q": "y" * 1000}).context["filters"]["q"]) == 100


def test_project_detail_shows_its_facts_and_links(client, projects):
    project = projects[0]
    project.budget, project.funding, project.participants = 12500, 5000, 80
    project.is_example = True
    project.save()
    response = client.get(project.get_absolute_url())
    assertContains(response, "<h1>Tournoi de foot</h1>", html=True)
    assertContains(response, "12\u202f500 €")
    assertContains(response, "80 participants")
    assertContains(response, "Exemple")
    assertContains(response, f'href="{project.pillar.get_absolute_url()}"')
    assertContains(response, "?theme=sport")
    assertContains(response, "Quartiers Neufs")


def test_unpublished_project_is_not_found(client, projects):
    hidden = Project.objects.get(title="Projet caché")
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(reverse("contrat_ville:project", args=["inexistant"])).status_code == 404
    assert client.get(reverse("contrat_ville:pillar", args=["inexistant"])).status_code == 404


def test_pillar_page_lists_its_projects(client, projects):
    response = client.get(reverse("contrat_ville:pillar", args=["cohesion-sociale"]))
    assert titles(response) == {"Tournoi de foot", "Concert de quartier"}
    assertContains(response, "Objectifs")
    assert client.get(reverse("contrat_ville:pillar", args=["cohesion-sociale"]), {"page": "zz"}).status_code == 200


def test_figures_page_draws_svg_charts_with_data_tables(client, projects):
    response = client.get(reverse("contrat_ville:figures"))
    html = response.content.decode()
    assert html.count("<table") == 3
    # Labels are HTML text (the page's font size on a phone); the drawing is hidden, the table is its alternative.
    assert html.count('<ul class="bar-chart list-unstyled" aria-hidden="true">') == 3
    assertContains(response, '<span class="bar-label">La cohésion sociale</span>', html=True)
    assertContains(response, '<th scope="row">La cohésion sociale</th><td class="text-end">2</td>', html=True)
    assertContains(response, '<th scope="row">2021</th><td class="text-end">1</td>', html=True)


def test_feed_lists_published_projects(client, projects):
    response = client.get(reverse("contrat_ville:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Tournoi de foot" in body and "Projet caché" not in body


def test_csv_opens_in_a_french_spreadsheet(client, projects):
    ProjectFactory(title='=HYPERLINK("http://x")', pillar=projects[0].pillar)
    response = client.get(reverse("contrat_ville:projects_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    reader = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    from contrat_ville.opendata import COLUMNS

    assert list(reader[0]) == [c.name for c in COLUMNS]
    fresque = next(r for r in reader if r["titre"] == "Fresque murale")
    assert fresque["annee_fin"] == "2022" and fresque["thematiques"] == "Culture" and fresque["exemple"] == "non"
    assert "Projet caché" not in {r["titre"] for r in reader}
    assert any(r["titre"].startswith("'=") for r in reader)


def test_json_has_the_documented_columns(client, projects):
    data = json.loads(client.get(reverse("contrat_ville:projects_json")).content)
    from contrat_ville.opendata import COLUMNS

    assert data["nombre"] == 3
    assert [c["nom"] for c in data["colonnes"]] == [c.name for c in COLUMNS]
    assert all(list(p) == [c.name for c in COLUMNS] for p in data["projets"])
    catalogue = client.get(reverse("contrat_ville:projects"))
    for column in COLUMNS:
        assertContains(catalogue, f"<code>{column.name}</code>")


def test_home_shows_latest_projects(client, projects):
    assertContains(client.get(reverse("home")), "Derniers projets du contrat de ville")


def test_sitemap_lists_pages_pillars_and_published_projects(client, projects):
    body = client.get(reverse("sitemap")).content.decode()
    for url in [reverse("contrat_ville:projects"), reverse("contrat_ville:figures"), projects[0].get_absolute_url()]:
        assert f"http://testserver{url}</loc>" in body
    assert "projet-caché" not in body


@pytest.mark.parametrize(
    ("url_name", "args"), [("projects", []), ("figures", []), ("index", []), ("pillar", ["cohesion-sociale"])]
)
def test_query_count_does_not_grow_with_the_number_of_projects(client, django_assert_num_queries, url_name, args):
    pillar = Pillar.objects.get(slug="cohesion-sociale")
    theme, quartier = Theme.objects.get(slug="sport"), Quartier.objects.get(slug="les-ouches")
    url = reverse(f"contrat_ville:{url_name}", args=args)

    def add(n, start):
        created = bulk_projects(n, pillar, start=start)
        Project.themes.through.objects.bulk_create(
            Project.themes.through(project_id=p.pk, theme_id=theme.pk) for p in created
        )
        Project.quartiers.through.objects.bulk_create(
            Project.quartiers.through(project_id=p.pk, quartier_id=quartier.pk) for p in created
        )

    add(22, 0)
    client.get(url)  # warm caches (site identity)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url, {"theme": "sport"}).status_code == 200
    add(1978, 22)
    assert Project.objects.count() == 2000
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url, {"theme": "sport"})
    assert response.status_code == 200
    if url_name == "projects":
        assertContains(response, "2\u202f000 projets")


def test_open_data_may_be_read_from_any_site(client, projects):
    for name in ["projects_csv", "projects_json"]:
        response = client.get(reverse(f"contrat_ville:{name}"))
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
        assert response.cookies == {}


def test_catalogue_form_shows_the_applied_filters_only(client, projects):
    response = client.get(
        reverse("contrat_ville:projects"), {"pilier": "cohesion-sociale", "theme": "zz-theme-absent"}
    )
    assertContains(response, '<option value="cohesion-sociale" selected>La cohésion sociale</option>', html=True)
    assertNotContains(response, "zz-theme-absent")
    assertContains(response, "Effacer les filtres")


def test_unpublished_quartier_is_not_linked_from_a_project(client, projects):
    Quartier.objects.filter(slug="quartiers-neufs").update(is_published=False)
    assertNotContains(client.get(projects[0].get_absolute_url()), "Quartiers Neufs")


def test_project_detail_suggests_other_projects_of_its_pillar(client, projects):
    response = client.get(projects[0].get_absolute_url())
    assert [p.title for p in response.context["related"]] == ["Concert de quartier"]
    assertContains(response, "Autres projets du pilier « La cohésion sociale »")


def test_figures_show_years_without_projects_as_zero(client, projects):
    response = client.get(reverse("contrat_ville:figures"))
    assertContains(response, '<th scope="row">2020</th><td class="text-end">0</td>', html=True)


def test_counts_follow_french_plural_rules(client):
    assertContains(client.get(reverse("contrat_ville:projects")), "0 projet</h2>", html=False)
    assertContains(client.get(reverse("contrat_ville:index")), "0 projet dans le catalogue")


@pytest.mark.parametrize(
    ("url_name", "args"),
    [("projects_csv", []), ("projects_json", []), ("feed", []), ("project", ["projet-en-nombre-0"])],
)
def test_open_data_feed_and_detail_queries_do_not_grow(client, django_assert_num_queries, url_name, args):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pillar = Pillar.objects.get(slug="cohesion-sociale")
    themes, quartiers = list(Theme.objects.all()[:2]), list(Quartier.objects.all()[:2])
    url = reverse(f"contrat_ville:{url_name}", args=args)

    def add(n, start):
        created = bulk_projects(n, pillar, start=start)
        Project.themes.through.objects.bulk_create(
            Project.themes.through(project_id=p.pk, theme_id=t.pk) for p in created for t in themes
        )
        Project.quartiers.through.objects.bulk_create(
            Project.quartiers.through(project_id=p.pk, quartier_id=q.pk) for p in created for q in quartiers
        )

    add(3, 0)
    client.get(url)  # warm caches (site identity)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add(60, 3)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    if url_name == "projects_json":
        assert json.loads(response.content)["nombre"] == 63


def test_bar_widths_are_percentages_of_the_largest_value():
    from contrat_ville.charts import bar_chart

    chart = bar_chart("x", "Titre", "Année", [(2020, 4), (2021, 1), (2022, 0), (2023, 400)])
    assert [bar.percent for bar in chart.bars] == ["1.0", "1.0", "0.0", "100.0"]
    assert [bar.label for bar in chart.bars] == ["2020", "2021", "2022", "2023"]
    assert chart.total == 405
    assert bar_chart("x", "Titre", "Année", [(2020, 0)]).bars[0].percent == "0.0"


def test_bar_widths_keep_a_decimal_point_in_french(client, projects, settings):
    settings.LANGUAGE_CODE = "fr"
    html = client.get(reverse("contrat_ville:figures")).content.decode()
    assert 'width="100.0%"' in html and not re.search(r'width="\d+,\d+%"', html)


def test_figures_and_index_flag_example_projects(client, projects):
    url, index = reverse("contrat_ville:figures"), reverse("contrat_ville:index")
    assertNotContains(client.get(url), "example-badge")
    assertNotContains(client.get(index), "example-badge")
    Project.objects.filter(pk=projects[0].pk).update(is_example=True)
    response = client.get(url)
    assertContains(response, "1 des 3 projets comptés ici est un exemple")
    assertContains(response, "example-badge", count=1 + 3)  # the notice and each chart's heading
    assertContains(client.get(index), "Dont 1 projet d’exemple, créé pour la démonstration du site.")
    Project.objects.update(is_example=True)
    assertContains(client.get(url), "Tous les projets comptés ici sont des exemples")
    assertContains(client.get(url), "(exemples de démonstration)</caption>", count=3)
