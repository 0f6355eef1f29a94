"""A neighbourhood's page links to what was done there (contrat de ville projects), without duplicating it."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.contrat_ville.factories import ProjectFactory
from tests.quartiers.factories import QuartierFactory

pytestmark = pytest.mark.django_db


def test_detail_links_the_published_projects_of_the_neighbourhood(client):
    quartier, other = QuartierFactory(), QuartierFactory()
    here = ProjectFactory(title="Jardin partagé des Tulipes", year_start=2019)
    here.quartiers.add(quartier)
    hidden = ProjectFactory(title="Projet non publié", is_published=False)
    hidden.quartiers.add(quartier)
    elsewhere = ProjectFactory(title="Projet d’un autre quartier")
    elsewhere.quartiers.add(other)

    response = client.get(reverse("quartiers:detail", args=[quartier.slug]))

    assertContains(response, f'<a href="{here.get_absolute_url()}">Jardin partagé des Tulipes</a>', html=True)
    assertContains(response, f"?quartier={quartier.slug}")
    assertNotContains(response, "Projet non publié")
    assertNotContains(response, "Projet d’un autre quartier")


def test_project_page_links_back_to_the_neighbourhood_page(client):
    quartier = QuartierFactory(name="Quartiers Neufs")
    project = ProjectFactory()
    project.quartiers.add(quartier)
    response = client.get(project.get_absolute_url())
    assertContains(response, f'<a href="{quartier.get_absolute_url()}">Quartiers Neufs</a>', html=True)


def test_detail_queries_do_not_grow_with_the_number_of_projects(client, django_assert_num_queries):
    quartier = QuartierFactory()
    ProjectFactory().quartiers.add(quartier)
    url = reverse("quartiers:detail", args=[quartier.slug])
    client.get(url)  # warm-up
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(30):
        ProjectFactory().quartiers.add(quartier)
    with django_assert_num_queries(len(few)):
        client.get(url)


def test_detail_lists_the_funded_microprojects_of_the_neighbourhood(client):
    from tests.microprojets.factories import ApplicationFactory

    quartier = QuartierFactory()
    ApplicationFactory(quartier=quartier, status="accepted", title="Fête des voisins des Tulipes")
    ApplicationFactory(quartier=quartier, status="submitted", title="Dossier encore à l’étude")
    response = client.get(reverse("quartiers:detail", args=[quartier.slug]))
    assertContains(response, "Fête des voisins des Tulipes")
    assertNotContains(response, "Dossier encore à l’étude")
    assertContains(response, f'href="{reverse("microprojets:index")}#finances"')
