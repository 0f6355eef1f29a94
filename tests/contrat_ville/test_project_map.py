"""Projects people can see (issue 13, item 7): place, status, outcome, co-funders, and the map of funded projects."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from contrat_ville.models import Project, ProjectCofunder
from microprojets.models import Application
from tests.contrat_ville.factories import ProjectFactory
from tests.microprojets.factories import ApplicationFactory
from tests.quartiers.factories import QuartierFactory

pytestmark = pytest.mark.usefixtures("content")

BADGE = '<span class="badge example-badge">Exemple</span>'


def test_project_page_shows_its_status_place_outcome_and_cofunders(client):
    project = ProjectFactory(
        status=Project.Status.DONE,
        place="Maison de quartier, 3 rue des Tulipes",
        outcome="<p>Quarante enfants ont appris à réparer leur vélo.</p>",
        funding=1000,
        budget=3000,
    )
    ProjectCofunder.objects.create(project=project, name="Département de la Haute-Marne", amount=1200, order=0)
    ProjectCofunder.objects.create(project=project, name="Caisse d’allocations familiales", order=1)
    response = client.get(project.get_absolute_url())
    assertContains(response, '<span class="badge project-status project-status-realise">Réalisé</span>', html=True)
    assertContains(response, "<dt>Lieu</dt><dd>Maison de quartier, 3 rue des Tulipes</dd>", html=True)
    assertContains(response, '<h2 id="titre-resultats" class="h4">Ce que le projet a permis</h2>', html=True)
    assertContains(response, "Quarante enfants ont appris à réparer leur vélo.")
    assertContains(response, "<dt>Cofinanceurs</dt>", html=True)
    assertContains(response, "<li>Département de la Haute-Marne : 1\u202f200 €</li>", html=True)
    assertContains(response, "<li>Caisse d’allocations familiales</li>", html=True)


def test_project_page_without_the_new_facts_says_only_its_status(client):
    project = ProjectFactory(status=Project.Status.PLANNED)
    response = client.get(project.get_absolute_url())
    assertContains(response, "Prévu</span>")
    assertNotContains(response, "<dt>Lieu</dt>", html=True)
    assertNotContains(response, "Ce que le projet a permis")
    assertNotContains(response, "Cofinanceur")


def test_a_cofunder_is_named_once_per_project_and_its_amount_is_positive():
    project = ProjectFactory()
    ProjectCofunder.objects.create(project=project, name="État (ANCT)")
    with pytest.raises(ValidationError, match="figure déjà dans la liste"):
        ProjectCofunder(project=project, name="État (ANCT)").full_clean()
    with pytest.raises(ValidationError, match="supérieur à 0 €"):
        ProjectCofunder(project=project, name="Région", amount=0).full_clean()


def test_project_page_queries_do_not_grow_with_cofunders_and_photos(client, django_assert_num_queries):
    project = ProjectFactory()
    ProjectCofunder.objects.create(project=project, name="Premier")
    with CaptureQueriesContext(connection) as small:
        client.get(project.get_absolute_url())
    for i in range(6):
        ProjectCofunder.objects.create(project=project, name=f"Cofinanceur {i}", amount=100 + i)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(project.get_absolute_url())


def test_map_lists_funded_projects_and_microprojects_by_neighbourhood(client):
    quartier = QuartierFactory(name="Les Tilleuls", slug="les-tilleuls", with_perimeter=True)
    project = ProjectFactory(title="Fresque du square", status=Project.Status.RUNNING, year_start=2024)
    project.quartiers.set([quartier])
    ProjectFactory(title="Forum des métiers de la commune")  # no neighbourhood: the whole commune
    ProjectFactory(title="Projet pas encore publié", is_published=False).quartiers.set([quartier])
    ApplicationFactory(title="Repas partagé", quartier=quartier, status=Application.Status.ACCEPTED)
    ApplicationFactory(title="Sortie réalisée", quartier=quartier, status=Application.Status.CLOSED)
    ApplicationFactory(title="Dossier refusé", quartier=quartier, status=Application.Status.REJECTED)
    ApplicationFactory(title="Dossier en cours", quartier=quartier, status=Application.Status.UNDER_REVIEW)
    response = client.get(reverse("contrat_ville:map"))
    assert response.status_code == 200
    html = response.content.decode()
    section = html[html.index('id="titre-carte-les-tilleuls"') : html.index("</section>", html.index("Les Tilleuls"))]
    assert "1 projet du contrat de ville, 2 microprojets soutenus." in section
    assert f'<a href="{project.get_absolute_url()}">Fresque du square</a> (2024, en cours)' in section
    assert "Microprojet : Repas partagé" in section and "Microprojet : Sortie réalisée" in section
    assertNotContains(response, "Dossier refusé")
    assertNotContains(response, "Dossier en cours")
    assertNotContains(response, "Projet pas encore publié")
    assertContains(response, "Sans quartier précis")
    assertContains(response, "Forum des métiers de la commune")
    # The map carries the same counts on the neighbourhood's shape; the list is its text alternative.
    map_data = response.context["map_data"]
    labels = [f["properties"].get("etiquette") for f in map_data["features"]]
    assert "Les Tilleuls : 1 projet, 2 microprojets" in labels
    assertContains(response, 'href="#carte-projets-alternative"')
    assertContains(response, 'id="carte-projets-alternative"')
    assertNotContains(response, BADGE)  # nothing here is demo data


def test_demo_projects_and_microprojects_carry_the_example_badge_on_the_map(client):
    quartier = QuartierFactory(name="Les Tilleuls")
    ProjectFactory(title="Projet de démonstration", is_example=True).quartiers.set([quartier])
    ApplicationFactory(title="Microprojet de démonstration", quartier=quartier, status="accepted", is_example=True)
    response = client.get(reverse("contrat_ville:map"))
    html = response.content.decode()
    for title in ["Projet de démonstration", "Microprojet de démonstration"]:
        line = html[html.index(title) : html.index("</li>", html.index(title))]
        assert BADGE in line, title
    assertContains(response, "sont fictifs")


def test_map_queries_do_not_grow_with_the_number_of_projects(client, django_assert_num_queries):
    quartiers = [QuartierFactory(with_perimeter=True) for _ in range(2)]
    ProjectFactory().quartiers.set(quartiers[:1])
    ApplicationFactory(quartier=quartiers[0], status="accepted")
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("contrat_ville:map"))
    for i in range(8):
        ProjectFactory().quartiers.set(quartiers)
        ProjectFactory()
        ApplicationFactory(quartier=quartiers[i % 2], status="accepted")
        ApplicationFactory(quartier=None, status="closed")
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("contrat_ville:map"))


def test_map_page_is_in_the_site_map_and_linked_from_the_contract_page(client):
    assertContains(client.get(reverse("site_map")), reverse("contrat_ville:map"))
    assertContains(client.get(reverse("contrat_ville:index")), reverse("contrat_ville:map"))


def test_demo_data_gives_projects_a_status_places_outcomes_and_cofunders(db, content):
    from django.core.management import call_command

    call_command("generate_demo_data", verbosity=0)
    projects = Project.objects.filter(is_example=True)
    assert set(projects.values_list("status", flat=True)) == set(Project.Status.values)
    assert projects.exclude(place="").exists()
    assert projects.filter(status=Project.Status.DONE).exclude(outcome="").exists()
    assert ProjectCofunder.objects.filter(project__is_example=True).exists()
