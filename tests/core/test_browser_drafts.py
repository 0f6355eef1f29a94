"""Preview of drafts in a real browser: the staff member follows « Voir sur le site » from the admin and sees the
draft under its banner; a visitor gets the 404 page. axe-core on each, at 390 and 1280 px."""

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.urls import reverse
from PIL import Image

from contrat_ville.images import make_renditions
from contrat_ville.models import ProjectPhoto
from langres_portal.core.models import Page
from pre.models import Section
from tests.browser import assert_no_axe_violations
from tests.contrat_ville.factories import PillarFactory, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("content")]

PASSWORD = "motdepasse-solide-123"
SHOTS = Path("/tmp/shots-B2")
BANNER = "Brouillon — non visible du public"


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def photo_of(project):
    out = io.BytesIO()
    Image.new("RGB", (1600, 1000), (70, 130, 180)).save(out, format="JPEG")
    renditions = make_renditions(SimpleUploadedFile("jardin.jpg", out.getvalue()))
    ProjectPhoto.objects.create(project=project, small=renditions.small, large=renditions.large, alt="Le jardin")


def test_staff_preview_a_draft_and_visitors_get_a_404(browse, live_server, django_user_model):
    editor = django_user_model.objects.create_user("redacteur", "r@example.org", PASSWORD, is_staff=True)
    editor.user_permissions.set(Permission.objects.filter(Q(codename__startswith="view_") | Q(codename="change_page")))
    project = ProjectFactory(
        title="Jardin partagé des Ouches", slug="jardin-partage", pillar=PillarFactory(), is_published=False
    )
    photo_of(project)
    Section.objects.create(slug="vacances", title="Les activités des vacances", body="<p>À venir.</p>",
                           is_published=False)  # fmt: skip
    base = live_server.url

    browse.goto(base + reverse("admin:login"))
    browse.get_by_label("Nom d’utilisateur").fill("redacteur")
    browse.get_by_label("Mot de passe").fill(PASSWORD)
    browse.get_by_role("button", name="Connexion").click()
    browse.wait_for_url(f"**{reverse('admin:index')}")
    browse.goto(base + reverse("admin:contrat_ville_project_change", args=[project.pk]))
    browse.get_by_role("link", name="Voir sur le site").click()
    browse.wait_for_url(f"**{project.get_absolute_url()}")

    banner = browse.locator(".draft-banner")
    assert banner.is_visible() and BANNER in banner.inner_text()
    assert browse.get_by_role("note", name=BANNER).is_visible()  # named for screen readers, not colour alone
    assert browse.locator("h1").inner_text() == "Jardin partagé des Ouches"
    for width in (390, 1280):
        browse.set_viewport_size({"width": width, "height": 900})
        assert_no_axe_violations(browse)
        shot(browse, f"01-projet-brouillon-{width}")
    browse.get_by_role("link", name="modifier « Jardin partagé des Ouches »").click()
    browse.wait_for_url(f"**{reverse('admin:contrat_ville_project_change', args=[project.pk])}")

    legal = Page.objects.get(slug="mentions-legales")
    browse.goto(base + reverse("admin:core_page_change", args=[legal.pk]))
    browse.get_by_label("Publiée").uncheck()
    browse.get_by_role("button", name="Enregistrer", exact=True).click()
    error = browse.locator(".field-is_published .errorlist")
    assert "ne peut être ni supprimée ni dépubliée" in error.inner_text()
    browse.set_viewport_size({"width": 1280, "height": 900})
    error.scroll_into_view_if_needed()
    shot(browse, "04-admin-page-obligatoire-1280")
    browse.set_viewport_size({"width": 390, "height": 900})

    browse.goto(base + reverse("pre:index"))
    assert browse.locator("#vacances .draft-badge").is_visible()
    assert_no_axe_violations(browse)
    browse.set_viewport_size({"width": 390, "height": 900})
    SHOTS.mkdir(parents=True, exist_ok=True)
    browse.locator("#vacances").screenshot(path=str(SHOTS / "02-pre-partie-brouillon-390.png"))

    browse.context.clear_cookies()  # a visitor
    response = browse.goto(base + project.get_absolute_url())
    assert response.status == 404
    assert browse.locator(".draft-banner").count() == 0
    assert "Jardin partagé" not in browse.content()
    assert_no_axe_violations(browse)
    shot(browse, "03-visiteur-404-390")
    browse.goto(base + reverse("pre:index"))
    assert browse.locator("#vacances").count() == 0
