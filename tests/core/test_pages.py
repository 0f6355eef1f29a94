import pytest
from django.db import models
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from langres_portal.core.models import Page, SiteIdentity

pytestmark = pytest.mark.usefixtures("content")

SHELL_PAGES = [
    ("home", "La politique de la ville à Langres", "Agence Nationale de la Cohésion des Territoires"),
    ("contact", "Contacter le service", "16, avenue du Général de Gaulle"),
    ("legal_notice", "Mentions légales", "Directeur de la publication"),
    ("personal_data", "Données personnelles", "article 6-1-e"),
    ("accessibility", "Déclaration d’accessibilité", "Défenseur des droits"),
    ("site_map", "Plan du site", "Mentions légales"),
]
SECTION_PAGES = [
    ("quartiers:index", "Les quartiers", "sur les quartiers anciennement concernés"),
    ("contrat_ville:index", "Le contrat de ville", "Depuis 2017, ce sont 22 projets"),
    ("microprojets:index", "Les microprojets", "Aider les habitants à s’impliquer dans la vie de leur quartier."),
    ("pre:index", "Le Programme de Réussite Éducative (PRE)", "loi de cohésion sociale"),
]


@pytest.mark.parametrize(("url_name", "title", "text"), SHELL_PAGES + SECTION_PAGES)
def test_public_page_shows_its_seed_text(client, url_name, title, text):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assertContains(response, f"<title>{title} – Ville de Langres</title>", html=True)
    assertContains(response, text)
    assertContains(response, '<html lang="fr">')


def sitemap_paths(client):
    from urllib.parse import urlsplit
    from xml.etree import ElementTree

    sitemap = client.get(reverse("sitemap"))
    assert sitemap.status_code == 200
    return [urlsplit(el.text).path for el in ElementTree.fromstring(sitemap.content).iter() if el.tag.endswith("loc")]


def test_every_page_has_one_h1_skip_link_and_footer_links(client):
    from django.core.management import call_command

    call_command("generate_demo_data", projects=3, applications=2, verbosity=0)  # detail pages in the sitemap
    paths = sitemap_paths(client)
    assert len(paths) > len(SHELL_PAGES + SECTION_PAGES)
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert html.count("<h1") == 1, path
        assertContains(response, '<a class="skip-link" href="#contenu">Aller au contenu</a>', html=True)
        assertContains(response, '<main id="contenu" tabindex="-1"')
        for name in ["legal_notice", "personal_data", "accessibility", "site_map", "contact"]:
            assertContains(response, f'href="{reverse(name)}"')


def test_footer_declares_accessibility_non_conforme_until_audit(client):
    assertContains(client.get(reverse("home")), "Accessibilité : non conforme")


def test_editing_the_phone_in_the_admin_changes_every_footer(admin_client):
    identity = SiteIdentity.objects.get()
    data = {
        f.name: getattr(identity, f.name)
        for f in SiteIdentity._meta.fields
        if f.editable and f.name != "id" and not isinstance(f, models.FileField)
    }
    data["phone"] = "03 25 00 11 22"
    response = admin_client.post(reverse("admin:core_siteidentity_change", args=[identity.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    for url_name in ["home", "contact", "quartiers:index", "pre:index", "legal_notice"]:
        response = admin_client.get(reverse(url_name))
        assertContains(response, "03 25 00 11 22")
        assertContains(response, 'href="tel:+33325001122"')
        assertNotContains(response, "03 25 87 77 90")


def test_editing_a_page_in_the_admin_changes_the_site(admin_client):
    page = Page.objects.get(slug="microprojets")
    response = admin_client.post(
        reverse("admin:core_page_change", args=[page.pk]),
        {"title": "Microprojets des habitants", "summary": "Chapeau.", "body": "<p>Texte</p>", "is_published": "on"},
    )
    assert response.status_code == 302
    assertContains(admin_client.get(reverse("microprojets:index")), "<h1>Microprojets des habitants</h1>", html=True)


def test_rich_text_is_sanitised_on_save(client):
    page = Page.objects.get(slug="mentions-legales")
    page.body = '<p onclick="x()">Bonjour<script>alert(1)</script> <a href="javascript:alert(1)">lien</a></p>'
    page.save()
    page.refresh_from_db()
    assert "script" not in page.body and "onclick" not in page.body and "javascript:" not in page.body
    assertContains(client.get(reverse("legal_notice")), "Bonjour")


def test_unknown_url_gets_the_french_404_page(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assertContains(response, "<h1>Page introuvable</h1>", status_code=404, html=True)
    assertContains(response, "mal recopiée", status_code=404)
    assertContains(response, reverse("site_map"), status_code=404)


def test_server_error_page_renders_without_database(rf):
    from langres_portal.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Le site rencontre un problème" in response.content.decode()


def test_robots_and_sitemap(client):
    robots = client.get(reverse("robots_txt"))
    assert robots["Content-Type"].startswith("text/plain")
    assert f"Disallow: {reverse('admin:index')}" in robots.content.decode()
    # The private receipt pages (their tokens are never in a public link, but crawlers need not try).
    assert "Disallow: /microprojets/dossier/" in robots.content.decode()
    assert "brouillon" not in robots.content.decode()  # no such path
    assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()
    sitemap = client.get(reverse("sitemap"))
    assert sitemap.status_code == 200
    for url_name in ["home", "contact", "quartiers:index", "contrat_ville:index", "microprojets:index", "pre:index"]:
        assert f"http://testserver{reverse(url_name)}</loc>" in sitemap.content.decode()


def test_site_map_lists_every_section(client):
    response = client.get(reverse("site_map"))
    for url_name in ["quartiers:index", "contrat_ville:index", "microprojets:index", "pre:index", "accessibility"]:
        assertContains(response, f'href="{reverse(url_name)}"')


def test_security_headers_on_html_pages(client):
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    for directive in [
        "default-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]:
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_anonymous_visit_of_a_content_page_sets_no_cookie(client):
    for url_name in ["home", "contrat_ville:index", "accessibility"]:
        assert client.get(reverse(url_name)).cookies == {}


def test_admin_is_in_french_and_named_after_the_site_identity(admin_client):
    index = admin_client.get(reverse("admin:index"))
    assertContains(index, "Ville de Langres — Service Politique de la ville")
    assertContains(index, "<title>Contenus et dossiers | Administration — Service Politique de la ville</title>")
    assertContains(admin_client.get(reverse("admin:core_page_changelist")), "Sélectionnez")
    SiteIdentity.objects.update(commune_name="Ville de Bourg-Fontaine")  # an edit shows at once
    assertContains(admin_client.get(reverse("admin:index")), "Ville de Bourg-Fontaine — Service Politique")


def test_every_model_of_the_portal_has_its_french_names_written_out():
    """Django's default plural adds an « s » to the singular (« compteur de référencess »): it is right for one
    plain word (« projet », « photo »), so a model named in several words declares its plural; and every model
    shown in the admin is named in French by the portal (third-party ones through a proxy)."""
    from django.apps import apps
    from django.contrib import admin

    ours = {"core", "quartiers", "contrat_ville", "pre", "microprojets"}
    for model in apps.get_models():
        if model._meta.app_label in ours or model in admin.site._registry:
            declared = model._meta.original_attrs
            assert "verbose_name" in declared, model._meta.label
            one_word = " " not in str(model._meta.verbose_name) and not str(model._meta.verbose_name).endswith(
                ("s", "x", "al", "eau")
            )
            assert one_word or "verbose_name_plural" in declared, model._meta.label


def test_home_shows_what_residents_act_on_before_the_section_cards(client):
    from tests.microprojets.factories import CallFactory

    CallFactory()
    html = client.get(reverse("home")).content.decode()
    call, address, sections = html.find("Appel ouvert :"), html.find('name="rue"'), html.find("Nos actions")
    assert -1 < call < sections and -1 < address < sections


def test_home_keeps_the_long_explanation_after_the_entry_points(client):
    html = client.get(reverse("home")).content.decode()
    assert -1 < html.find("Nos actions") < html.find("Agence Nationale de la Cohésion des Territoires")
