"""Drafts and preview (core.drafts): a 404 for visitors, the page under a « Brouillon » banner for staff allowed to
see it, never cached, never in a list, a sitemap or a feed; « Voir sur le site » in the admin."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from contrat_ville.models import Project
from langres_portal.core.models import Page
from microprojets.models import Call
from pre.models import Section
from quartiers.models import Quartier
from tests.contrat_ville.factories import PillarFactory, ProjectFactory
from tests.microprojets.factories import CallFactory
from tests.quartiers.factories import QuartierFactory

pytestmark = pytest.mark.usefixtures("content")
BANNER = "Brouillon — non visible du public"


def draft_project():
    return ProjectFactory(
        title="Jardin partagé secret", slug="jardin-secret", pillar=PillarFactory(), is_published=False
    )


def draft_quartier():
    return QuartierFactory(name="Quartier en préparation", slug="quartier-prepa", is_published=False)


def draft_page():
    return Page.objects.create(slug="fete-de-quartier", title="Fête de quartier en préparation", is_published=False)


def draft_section():
    return Section.objects.create(slug="nouvelle-partie", title="Partie en préparation", is_published=False)


DRAFTS = {
    "project": (draft_project, lambda obj: obj.get_absolute_url(), "Jardin partagé secret"),
    "quartier": (draft_quartier, lambda obj: obj.get_absolute_url(), "Quartier en préparation"),
    "page": (draft_page, lambda obj: obj.get_absolute_url(), "Fête de quartier en préparation"),
}


@pytest.fixture
def editor(django_user_model):
    """A staff member who may see every content model (not a superuser)."""
    user = django_user_model.objects.create_user("redacteur", "r@example.org", "motdepasse-solide-123", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    return user


@pytest.mark.parametrize("kind", DRAFTS)
def test_a_draft_is_a_404_for_visitors_and_a_marked_preview_for_staff(client, editor, kind):
    make, url_of, title = DRAFTS[kind]
    obj = make()
    url = url_of(obj)
    assert client.get(url).status_code == 404

    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    assertContains(response, title)
    assertContains(response, BANNER)
    admin_url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    assertContains(response, f'href="{admin_url}"')
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


@pytest.mark.parametrize("kind", DRAFTS)
def test_staff_without_permission_on_the_model_get_the_404(client, django_user_model, kind):
    make, url_of, _title = DRAFTS[kind]
    obj = make()
    user = django_user_model.objects.create_user("autre", "a@example.org", "motdepasse-solide-123", is_staff=True)
    client.force_login(user)
    assert client.get(url_of(obj)).status_code == 404


def test_staff_who_did_not_give_the_second_factor_are_visitors(client, editor, settings):
    settings.STAFF_2FA_REQUIRED = True
    project = draft_project()
    client.force_login(editor)  # password only
    assert client.get(project.get_absolute_url()).status_code == 404


def test_a_published_page_seen_by_staff_has_no_banner_and_varies_on_the_cookie(client, editor):
    project = ProjectFactory(pillar=PillarFactory(), is_published=True)
    client.force_login(editor)
    response = client.get(project.get_absolute_url())
    assertNotContains(response, BANNER)
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Cookie" in response["Vary"]


def test_a_draft_section_of_the_pre_page_is_previewed_in_place(client, editor):
    draft_section()
    assertNotContains(client.get(reverse("pre:index")), "Partie en préparation")
    client.force_login(editor)
    response = client.get(reverse("pre:index"))
    assertContains(response, "Partie en préparation")
    assertContains(response, BANNER)
    assertContains(response, "cette partie n’est pas visible du public")
    assert "no-store" in response["Cache-Control"]


def test_drafts_are_in_no_list_sitemap_or_feed_even_for_staff(client, editor):
    project, quartier, page = draft_project(), draft_quartier(), draft_page()
    published = Page.objects.create(slug="marche-de-noel", title="Marché de Noël", is_published=True)
    for who in (None, editor):
        if who:
            client.force_login(who)
        lists = [
            reverse("contrat_ville:projects"),
            reverse("contrat_ville:index"),
            reverse("quartiers:index"),
            reverse("home"),
            reverse("site_map"),
            reverse("sitemap"),
            reverse("contrat_ville:feed"),
            reverse("contrat_ville:projects_csv"),
            reverse("contrat_ville:projects_json"),
        ]
        for url in lists:
            response = client.get(url)
            assert response.status_code == 200, url
            for text in (project.title, project.get_absolute_url(), quartier.name, quartier.get_absolute_url(),
                         page.title, page.get_absolute_url()):  # fmt: skip
                assertNotContains(response, text)
    assertContains(client.get(reverse("sitemap")), published.get_absolute_url())
    assertContains(client.get(reverse("site_map")), "Marché de Noël")


def test_an_unpublished_call_is_neither_open_nor_announced():
    call = CallFactory(is_published=False)
    upcoming = CallFactory(upcoming=True, is_published=False)
    assert not call.is_open()
    assert not Call.objects.open_at().filter(pk=call.pk).exists()
    assert not Call.objects.upcoming().filter(pk=upcoming.pk).exists()
    assert Call.objects.open_at().count() == Call.objects.published().open_at().count()


@pytest.mark.parametrize(
    ("make", "admin_name"),
    [
        (draft_project, "contrat_ville_project"),
        (draft_quartier, "quartiers_quartier"),
        (draft_page, "core_page"),
        (draft_section, "pre_section"),
        (lambda: CallFactory(is_published=False), "microprojets_call"),
    ],
)
def test_every_object_with_a_public_page_has_voir_sur_le_site(admin_client, make, admin_name):
    obj = make()
    response = admin_client.get(reverse(f"admin:{admin_name}_change", args=[obj.pk]))
    assertContains(response, "Voir sur le site")
    link = admin_client.get(reverse("admin:view_on_site", args=[_content_type(obj), obj.pk]))
    assert link.status_code == 302 and link["Location"] == "http://testserver" + obj.get_absolute_url()


def _content_type(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def test_a_text_shown_inside_another_page_has_no_address_of_its_own(client, editor):
    page = Page.objects.get(slug="microprojets-brouillon")
    assert page.get_absolute_url() == reverse("microprojets:index")
    assert client.get(reverse("page", args=[page.slug])).status_code == 404
    client.force_login(editor)
    assert client.get(reverse("page", args=[page.slug])).status_code == 404
    assert Page.objects.get(slug="erreur-acces-refuse").get_absolute_url() is None


def test_preview_costs_the_same_queries_as_the_published_page(client, editor, django_assert_max_num_queries):
    project = draft_project()
    client.force_login(editor)
    client.get(project.get_absolute_url())
    Project.objects.filter(pk=project.pk).update(is_published=True)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as published:
        client.get(project.get_absolute_url())
    Project.objects.filter(pk=project.pk).update(is_published=False)
    with django_assert_max_num_queries(len(published)):
        client.get(project.get_absolute_url())
    assert Quartier.objects.visible_to(editor).count() == Quartier.objects.count()
