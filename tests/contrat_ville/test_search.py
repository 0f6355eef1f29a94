"""Catalogue search: accents, case, apostrophes and plurals do not matter; every word must be found somewhere."""

import importlib
import unicodedata

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_django.asserts import assertContains

from contrat_ville.models import Pillar, Project, Theme
from langres_portal.core.search import fold_words, query_words, search_text
from tests.contrat_ville.factories import ProjectFactory, ThemeFactory, bulk_projects

pytestmark = pytest.mark.usefixtures("content")
URL = reverse("contrat_ville:projects")


@pytest.fixture
def catalogue():
    cadre = Pillar.objects.get(slug="renouvellement-urbain-cadre-de-vie")
    social = Pillar.objects.get(slug="cohesion-sociale")
    velo = ProjectFactory(
        title="Ateliers de réparation de vélos",
        pillar=cadre,
        porteur_name="Association Roue Libre",
        summary="Réparer son vélo avec des bénévoles, le samedi matin.",
        description="<p>Un atelier <strong>ouvert à tous</strong> devant l’École Jean-Moulin.</p>",
    )
    velo.themes.add(Theme.objects.get(slug="transition-ecologique"))
    devoirs = ProjectFactory(
        title="Aide aux devoirs", pillar=social, porteur_name="Maison de quartier", summary="Le soir, après la classe."
    )
    devoirs.themes.add(Theme.objects.get(slug="education"))
    marche = ProjectFactory(
        title="Marche hebdomadaire", pillar=social, porteur_name="Les voisins", summary="Marcher ensemble."
    )
    marche.themes.add(Theme.objects.get(slug="sante"))
    ProjectFactory(title="Vélo caché", pillar=cadre, is_published=False)
    return {"velo": velo, "devoirs": devoirs, "marche": marche}


def found(client, q, **filters):
    response = client.get(URL, {"q": q, **filters})
    assert response.status_code == 200
    return {p.title for p in response.context["page_obj"].object_list}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("velo", "velo"),
        ("VÉLO", "velo"),
        ("Vélos", "velo"),  # a plural finds the singular, and the other way round
        ("  réparation   VELO ", "velo"),
        ("roue libre", "velo"),  # the porteur
        ("l'ecole", "velo"),  # the description, without its markup
        ("L’ÉCOLE jean-moulin", "velo"),
        ("transition ecologique", "velo"),  # the theme
        ("cadre de vie", "velo"),  # the pillar
        ("education", "devoirs"),  # only the theme says it
        ("Éducation", "devoirs"),
        ("sante", "marche"),
        ("SANTÉ", "marche"),
    ],
)
def test_search_ignores_accents_case_apostrophes_and_plurals(client, catalogue, query, expected):
    assert found(client, query) == {catalogue[expected].title}


def test_a_word_is_found_at_the_start_of_a_word_only(client, catalogue):
    ProjectFactory(title="Forum", summary="Le développement local.", porteur_name="Mairie")
    assert found(client, "velo") == {"Ateliers de réparation de vélos"}
    assert found(client, "develop") == {"Forum"}
    assert found(client, "reparat") == {"Ateliers de réparation de vélos"}


def test_every_word_must_be_found(client, catalogue):
    assert found(client, "velo samedi") == {"Ateliers de réparation de vélos"}
    assert found(client, "velo devoirs") == set()
    assert found(client, "devoirs", pilier="renouvellement-urbain-cadre-de-vie") == set()


def test_markup_of_the_description_is_not_searched(client, catalogue):
    assert found(client, "strong") == set()
    assert found(client, "ouvert") == {"Ateliers de réparation de vélos"}


@pytest.mark.parametrize("query", ["-", "’'", "…", "\x00", "<>"])
def test_a_query_without_letters_lists_everything(client, catalogue, query):
    assert len(found(client, query)) == 3


def test_no_result_says_so_and_links_to_clear_the_search_keeping_the_filters(client, catalogue):
    response = client.get(URL, {"q": "trottinette", "pilier": "cohesion-sociale"})
    assertContains(response, "Aucun projet ne contient «\u00a0trottinette\u00a0» avec ce filtre.")
    assertContains(response, 'href="/contrat-de-ville/projets/?pilier=cohesion-sociale#resultats"')
    assertContains(response, "Effacer la recherche et garder les filtres")
    response = client.get(URL, {"q": "trottinette rouge"})
    assertContains(response, "Aucun projet ne contient tous les mots de «\u00a0trottinette rouge\u00a0».")
    assertContains(response, "Essayez avec un seul mot")
    assertContains(response, 'href="/contrat-de-ville/projets/#resultats">Effacer la recherche</a>', html=False)


def test_form_lands_on_the_results_heading_which_takes_the_focus(client, catalogue):
    response = client.get(URL, {"q": "velo"})
    assertContains(response, 'action="/contrat-de-ville/projets/#resultats"')
    assertContains(
        response,
        '<h2 id="resultats" class="h4 results-heading" tabindex="-1">1 projet pour ces critères</h2>',
        html=True,
    )
    assertContains(response, "contrat_ville/catalogue.js")
    assertContains(
        response, "<summary>Filtrer par pilier, thématique, année, quartier ou porteur</summary>", html=True
    )
    response = client.get(URL, {"q": "velo", "pilier": "renouvellement-urbain-cadre-de-vie", "annee": 2020})
    assertContains(response, "(2 filtres appliqués)")


# --- The stored search text follows its sources ----------------------------------------------------------------


def test_search_text_follows_edits_of_the_project_its_themes_and_its_pillar(client, catalogue):
    velo = catalogue["velo"]
    velo.summary = "Un garage solidaire pour les bicyclettes."
    velo.save(update_fields=["summary"])
    assert found(client, "bicyclette") == {velo.title}

    theme = ThemeFactory(name="Mobilité douce")
    velo.themes.add(theme)
    assert found(client, "mobilite") == {velo.title}
    theme.name = "Déplacements à pied et à vélo"
    theme.save()
    assert found(client, "mobilite") == set() and found(client, "deplacements") == {velo.title}
    velo.themes.remove(theme)
    assert found(client, "deplacements") == set()
    theme.projects.add(velo)  # from the theme's side
    assert found(client, "deplacements") == {velo.title}
    theme.projects.clear()
    assert found(client, "deplacements") == set()
    theme.projects.add(velo)
    theme.delete()
    assert found(client, "deplacements") == set()

    pillar = velo.pillar
    pillar.name = "Habiter mieux"
    pillar.save()
    assert found(client, "habiter") == {velo.title}


def test_a_project_added_then_edited_in_the_admin_is_found_by_its_new_words_and_themes(admin_client, client):
    from tests.contrat_ville.test_admin import project_data

    sport, sante = Theme.objects.get(slug="sport"), Theme.objects.get(slug="sante")
    data = project_data(**{"photos-TOTAL_FORMS": "0", "description": "<p>Balades à vélo en forêt</p>"})
    response = admin_client.post(reverse("admin:contrat_ville_project_add"), {**data, "themes": [sport.pk]})
    assert response.status_code == 302
    assert found(client, "foret sport") == {"Atelier photo"}
    project = Project.objects.get(slug="atelier-photo")
    data = {**data, "title": "Sorties à bicyclette", "themes": [sante.pk]}
    response = admin_client.post(reverse("admin:contrat_ville_project_change", args=[project.pk]), data)
    assert response.status_code == 302
    assert found(client, "bicyclette sante") == {"Sorties à bicyclette"}
    assert found(client, "sport") == set() and found(client, "photo") == set()


def test_an_edit_that_does_not_touch_the_text_leaves_it_alone(catalogue):
    velo = catalogue["velo"]
    with CaptureQueriesContext(connection) as queries:
        velo.save(update_fields=["is_published"])
    # The update and its version (core.history): no read of the themes nor the pillar.
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["UPDATE", "INSERT"]


def test_migration_fills_the_search_text_of_existing_projects_as_save_does(catalogue):
    expected = dict(Project.objects.values_list("pk", "search_text"))
    Project.objects.update(search_text="")
    migration = importlib.import_module("contrat_ville.migrations.0003_project_search_text")
    migration.fill_search_text(apps, None)
    assert dict(Project.objects.values_list("pk", "search_text")) == expected
    assert "ecole jean moulin" in expected[catalogue["velo"].pk]


def test_search_keeps_the_query_count_of_the_plain_list(client):
    pillar = Pillar.objects.get(slug="cohesion-sociale")
    bulk_projects(20, pillar)
    client.get(URL)  # warm caches (site identity)
    with CaptureQueriesContext(connection) as plain:
        client.get(URL)
    with CaptureQueriesContext(connection) as searched:
        response = client.get(URL, {"q": "PROJET en Nombre cohésion sociale"})
    assert response.context["page_obj"].paginator.count == 20
    assert len(searched.captured_queries) == len(plain.captured_queries)
    bulk_projects(500, pillar, start=20)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, {"q": "PROJET en Nombre cohésion sociale"})
    assert response.context["page_obj"].paginator.count == 520
    assert len(many.captured_queries) == len(plain.captured_queries)


# --- Any text ------------------------------------------------------------------------------------------------------

FILTER_NAMES = ["pilier", "theme", "annee", "quartier", "porteur", "page"]


@given(
    q=st.text(max_size=250) | st.sampled_from(["velo", "l'école", "jean-moulin", "VÉLO  ", "a" * 250, ""]),
    other=st.dictionaries(st.sampled_from(FILTER_NAMES), st.text(max_size=40), max_size=3),
)
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_text_in_the_search_and_the_filters_answers_in_french(client, catalogue, q, other):
    response = client.get(URL, {"q": q, **other})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html and 'id="resultats"' in html
    assert ("Aucun projet" in html) == (response.context["page_obj"].paginator.count == 0)
    # What is kept of the query is shown back as typed (cut to 100 characters), never as markup.
    kept = response.context["filters"].get("q", "")
    assert len(kept) <= 100 and "<script" not in html.split("</header>")[1].split("<footer")[0].lower()


def _variants(word):
    plain = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    return st.sampled_from([word, word.upper(), word.lower(), plain, plain.upper(), word.capitalize()])


@given(data=st.data())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_project_is_found_by_any_spelling_of_words_of_its_title(client, catalogue, data):
    project = data.draw(st.sampled_from(list(catalogue.values())))
    words = project.title.replace("’", " ").split()
    chosen = data.draw(st.lists(st.sampled_from(words), min_size=1, max_size=3))
    query = " ".join(data.draw(_variants(word)) for word in chosen)
    assert project.title in found(client, query)


# --- The folding helper --------------------------------------------------------------------------------------------


def test_folding_drops_case_accents_ligatures_and_separators():
    assert fold_words("L’Œuvre d'ÉTÉ — Jean-Moulin, 2024 !") == ["l", "oeuvre", "d", "ete", "jean", "moulin", "2024"]
    assert search_text("Vélo", "<p>x</p>", "") == " velo p x p"  # markup is removed by html_to_text, not here
    assert query_words("l'école") == ["ecole"]
    assert query_words("l") == ["l"] and query_words("a 2") == ["2"]
    assert query_words("velo velodrome") == ["velodrome"]
    assert query_words("vélos Velo") == ["velo"]
    assert query_words("bus jeux") == ["bus", "jeu"]
    assert query_words("\x00 - ’") == []
