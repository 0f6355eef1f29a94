"""Error pages: French, on the site's layout, helpful, with the right status; valid HTML and no axe violation."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.test import Client, RequestFactory
from django.urls import reverse

from langres_portal.core import views
from langres_portal.core.models import Page
from tests.browser import assert_no_axe_violations

pytestmark = pytest.mark.usefixtures("content")

RESEND = reverse("microprojets:resend_link")
ELIGIBILITY = reverse("microprojets:eligibility")


def public_403():
    request = RequestFactory().get("/microprojets/")
    request.user = AnonymousUser()
    return views.permission_denied(request, PermissionDenied())


def error_pages(client):
    """One real request for each error page, as a visitor (or a robot) would cause it: {name: response}."""
    many_fields = "&".join(f"x{i}=1" for i in range(1100))
    return {
        "400 (trop de champs)": client.get(f"{ELIGIBILITY}?{many_fields}"),
        "400 (multipart illisible)": client.post(
            RESEND, data=b"--x\r\nmal forme", content_type="multipart/form-data; boundary="
        ),
        # No public page refuses a visitor today (the admin's 403 has its own page, tests/core/test_login_security.py):
        # the handler itself, on a public path.
        "403": public_403(),
        "403 (CSRF)": Client(enforce_csrf_checks=True).post(RESEND, {"email": "a@example.org"}),
        "404": client.get("/page-inexistante/"),
        "413": client.post(RESEND, {"email": "a@example.org", "x": "a" * (3 * 1024 * 1024)}),
    }


EXPECTED = {
    "400 (trop de champs)": (400, "Demande incomprise"),
    "400 (multipart illisible)": (400, "Demande incomprise"),
    "403": (403, "Accès refusé"),
    "403 (CSRF)": (403, "Formulaire expiré"),
    "404": (404, "Page introuvable"),
    "413": (413, "Votre envoi est trop volumineux"),
}


def test_each_error_page_has_its_status_french_words_and_ways_out(client):
    responses = error_pages(client)
    for name, response in responses.items():
        status, title = EXPECTED[name]
        html = response.content.decode()
        assert response.status_code == status, name
        assert f"<h1>{title}</h1>" in html, name
        assert '<html lang="fr">' in html and "<title>Erreur – " in html, name
        assert 'href="/contact/"' in html and "Pour continuer" in html and "Code de l’erreur" in html, name
        assert "Bad Request" not in html and "Forbidden" not in html and "CSRF" not in html, name


def test_error_pages_use_the_staff_edited_page_when_there_is_one(client):
    Page.objects.filter(slug="erreur-trop-d-envois").update(title="Doucement !", summary="Texte des agents.")
    from langres_portal.core.views import error_response

    response = error_response(client.get("/").wsgi_request, "429")
    html = response.content.decode()
    assert response.status_code == 429 and "<h1>Doucement !</h1>" in html and "Texte des agents." in html


def test_without_its_page_an_error_page_keeps_its_own_words(client):
    Page.objects.filter(slug="erreur-demande-incomprise").delete()
    response = error_pages(client)["400 (trop de champs)"]
    assert response.status_code == 400 and "<h1>Demande incomprise</h1>" in response.content.decode()


def test_an_error_page_without_database_answers_with_its_status(client, monkeypatch):
    def down(*args, **kwargs):
        raise DatabaseError("base arrêtée")

    monkeypatch.setattr(Page, "get_text", down)
    response = client.get("/page-inexistante/")
    assert response.status_code == 404
    assert "Le site rencontre un problème" in response.content.decode()


def test_a_server_error_is_the_french_standalone_page(monkeypatch):
    def down(*args, **kwargs):
        raise DatabaseError("base arrêtée")

    monkeypatch.setattr(Page.objects, "published", down)
    client = Client(raise_request_exception=False)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="fr">' in html and "<h1>Le site rencontre un problème</h1>" in html
    assert 'href="/contact/"' in html and "réessayez dans quelques minutes" in html


def test_the_server_error_page_renders_even_without_its_stylesheets(rf, monkeypatch):
    from django.templatetags import static

    from langres_portal.core.views import server_error

    def no_manifest(path):
        raise ValueError(f"Missing staticfiles manifest entry for '{path}'")

    monkeypatch.setattr(static.StaticNode, "handle_simple", staticmethod(no_manifest))
    response = server_error(rf.get("/"))
    assert response.status_code == 500 and "stylesheet" not in response.content.decode()


def test_microprojets_refusals_use_the_shared_error_layout(client, settings):
    from tests.microprojets.factories import CallFactory

    CallFactory()
    too_big = client.post(reverse("microprojets:apply"), {}, CONTENT_LENGTH=str(40 * 1024 * 1024))
    assert too_big.status_code == 413
    assert "5 fichiers au plus" in too_big.content.decode() and "Pour continuer" in too_big.content.decode()
    settings.FORM_RATE_LIMIT_PER_HOUR = 0
    from microprojets.views.public import rate_limited

    refused = rate_limited(client.get("/").wsgi_request)
    assert refused.status_code == 429 and "Trop d’envois depuis votre connexion" in refused.content.decode()


def all_error_html(client, rf):
    from langres_portal.core.views import error_response, server_error
    from microprojets.views.public import rate_limited

    pages = {name: r.content.decode() for name, r in error_pages(client).items()}
    pages["429"] = error_response(rf.get("/"), "429").content.decode()
    pages["429 microprojets"] = rate_limited(client.get("/").wsgi_request).content.decode()
    pages["500"] = server_error(rf.get("/")).content.decode()
    return pages


def test_error_pages_are_valid_html(client, rf, tmp_path):
    from tests.core.test_html_validity import validate

    assert validate(tmp_path, all_error_html(client, rf)) == []


@pytest.mark.browser
def test_error_pages_have_no_axe_violation(browse, live_server, client, rf):
    for name, html in all_error_html(client, rf).items():
        browse.goto(live_server.url + "/")  # the page's stylesheets come from the live server
        browse.set_content(html, wait_until="load")
        assert browse.locator("h1").count() == 1, name
        assert_no_axe_violations(browse)
