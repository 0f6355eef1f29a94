"""Pages that must exist cannot vanish; a page added in the admin gets an address and a place in the site map."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from langres_portal.core.models import REQUIRED_PAGES, Page

pytestmark = pytest.mark.usefixtures("content")
WHY = "ne peut être ni supprimée ni dépubliée"


def page_data(page, **changes):
    data = {"title": page.title, "summary": page.summary, "body": page.body, "is_published": "on"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_every_required_page_exists_after_the_content_is_loaded():
    assert set(Page.objects.filter(slug__in=REQUIRED_PAGES, is_published=True).values_list("slug", flat=True)) == set(
        REQUIRED_PAGES
    )


@pytest.mark.parametrize("slug", sorted(REQUIRED_PAGES))
def test_a_required_page_cannot_be_unpublished_in_the_admin(admin_client, slug):
    page = Page.objects.get(slug=slug)
    url = reverse("admin:core_page_change", args=[page.pk])
    form = admin_client.get(url)
    assertContains(form, WHY)  # said before anyone tries
    assertContains(form, REQUIRED_PAGES[slug])
    response = admin_client.post(url, page_data(page, is_published=None, title="Nouveau titre"))
    assert response.status_code == 200
    assertContains(response, f"{WHY} : {REQUIRED_PAGES[slug]}")
    assertContains(response, 'value="Nouveau titre"')  # what was typed is kept
    page.refresh_from_db()
    assert page.is_published and page.title != "Nouveau titre"


@pytest.mark.parametrize("slug", sorted(REQUIRED_PAGES))
def test_a_required_page_cannot_be_deleted_from_its_page(admin_client, slug):
    page = Page.objects.get(slug=slug)
    change_url = reverse("admin:core_page_change", args=[page.pk])
    assertNotContains(admin_client.get(change_url), reverse("admin:core_page_delete", args=[page.pk]))
    for method in (admin_client.get, admin_client.post):
        response = method(reverse("admin:core_page_delete", args=[page.pk]), follow=True)
        assertRedirects(response, change_url)
        assertContains(response, WHY)
    assert Page.objects.filter(pk=page.pk).exists()


def test_bulk_delete_with_a_required_page_deletes_nothing_and_says_why(admin_client):
    legal = Page.objects.get(slug="mentions-legales")
    free = Page.objects.create(slug="vide-grenier", title="Vide-grenier")
    response = admin_client.post(
        reverse("admin:core_page_changelist"),
        {"action": "delete_selected", "_selected_action": [legal.pk, free.pk], "post": "yes"},
        follow=True,
    )
    assertContains(response, "Rien n’a été supprimé")
    assertContains(response, "« Mentions légales »")
    assert Page.objects.filter(pk__in=[legal.pk, free.pk]).count() == 2

    response = admin_client.post(
        reverse("admin:core_page_changelist"), {"action": "delete_selected", "_selected_action": [free.pk]}
    )
    assertContains(response, "Voulez-vous vraiment supprimer")  # the admin's usual confirmation
    admin_client.post(
        reverse("admin:core_page_changelist"),
        {"action": "delete_selected", "_selected_action": [free.pk], "post": "yes"},
    )
    assert not Page.objects.filter(pk=free.pk).exists()


def test_the_database_refuses_an_unpublished_required_page():
    with pytest.raises(IntegrityError), transaction.atomic():
        Page.objects.filter(slug="accessibilite").update(is_published=False)
    Page.objects.filter(slug="plan-du-site").update(is_published=False)  # not required: allowed


def test_a_page_added_in_the_admin_gets_an_address_and_a_place_in_the_site_map(admin_client, client):
    response = admin_client.get(reverse("admin:core_page_add"))
    assertContains(response, "publiée à l’adresse /pages/ suivie de cet identifiant")
    response = admin_client.post(
        reverse("admin:core_page_add"),
        {"slug": "fete-des-voisins", "title": "Fête des voisins", "summary": "Le 30 mai.", "body": "<p>Venez !</p>",
         "is_published": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    page = Page.objects.get(slug="fete-des-voisins")
    assert page.get_absolute_url() == "/pages/fete-des-voisins/"
    public = client.get(page.get_absolute_url())
    assertContains(public, "<h1>Fête des voisins</h1>", html=True)
    assertContains(
        client.get(reverse("site_map")), f'<a href="{page.get_absolute_url()}">Fête des voisins</a>', html=True
    )
    assertContains(client.get(reverse("sitemap")), f"http://testserver{page.get_absolute_url()}")
    change = admin_client.get(reverse("admin:core_page_change", args=[page.pk]))
    assertContains(change, "Page à part entière, à l’adresse /pages/fete-des-voisins/, listée dans le plan du site")
    assertContains(change, "Cette page peut être dépubliée ou supprimée.")


def test_the_admin_says_where_a_text_of_another_page_appears(admin_client):
    changelist = admin_client.get(reverse("admin:core_page_changelist"))
    assertContains(changelist, "Où elle apparaît")
    page = Page.objects.get(slug="quartiers-statut-veille")
    change = admin_client.get(reverse("admin:core_page_change", args=[page.pk]))
    assertContains(change, "Le texte du statut, sur la page de chaque quartier de ce statut")


@pytest.mark.parametrize(
    ("query", "slug"), [("mentions-legales", "mentions-legales"), ("statut-cucs", "quartiers-statut-cucs")]
)
def test_search_in_the_pages_admin_finds_them_by_their_identifier(admin_client, query, slug):
    response = admin_client.get(reverse("admin:core_page_changelist"), {"q": query})
    assert [p.slug for p in response.context["cl"].result_list] == [slug]
