"""After the grant, in a real browser: paid → the report with a photo allowed for publication → closed → the draft
project of the catalogue with that photo; axe-core on the report form, its errors and the staff page."""

import os

import pytest
from django.urls import reverse

from contrat_ville.models import Project
from microprojets import workflow
from microprojets.models import Application, Attachment
from tests.browser import assert_no_axe_violations

from .factories import ApplicationFactory, make_image

pytestmark = [pytest.mark.browser]
S = workflow.Status
SHOTS = os.environ.get("SCREENSHOTS_DIR")  # a folder: screenshots at 390 and 1280 px, to look at


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def login(page, live_server):
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Nom d’utilisateur").fill("agent")
    page.get_by_label("Mot de passe").fill("motdepasse-solide-123")
    page.get_by_role("button", name="Connexion").click()


def test_paid_report_with_a_published_photo_closed_then_made_a_catalogue_project(
    browse, live_server, content, staff_user, tmp_path, settings, clamd_socket
):
    settings.CLAMAV_SOCKET = clamd_socket  # the photo is scanned clean, so it may be copied to the catalogue
    from contrat_ville.models import Pillar

    application = ApplicationFactory(status=S.ACCEPTED, pillar=Pillar.objects.first())
    page = browse
    login(page, live_server)
    followup = live_server.url + reverse("admin:microprojets_application_followup", args=[application.pk])
    page.goto(followup)
    page.get_by_label("Montant versé (€)").fill("900")
    page.get_by_label("Référence du mandat de paiement").fill("M-2026-17")
    page.get_by_role("button", name="Enregistrer le versement").click()
    assert "au-delà du montant accordé" in page.locator("#erreurs").inner_text()
    assert page.title().startswith("Erreur – ")
    assert_no_axe_violations(page)
    page.get_by_label("Montant versé (€)").fill("800")
    page.get_by_role("button", name="Enregistrer le versement").click()
    assert "Versement enregistré." in page.locator(".messagelist").inner_text()
    assert_no_axe_violations(page)

    photo = tmp_path / "jardin.jpg"
    photo.write_bytes(make_image("JPEG", (800, 600)))
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + application.get_tracking_url())
        assert page.get_by_role("heading", name="Envoyer le bilan de votre projet").is_visible()
        assert_no_axe_violations(page)
        shot(page, f"suivi-bilan-{width}")
    page.set_viewport_size({"width": 390, "height": 900})
    page.get_by_label("Comment le projet s’est-il déroulé ?").fill("Quatre bacs plantés avec douze familles.")
    page.locator("#id_photo-0-photo").set_input_files(str(photo))
    page.locator("#id_photo-0-may_publish").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer le bilan au service").click()
    assert page.title().startswith("Erreur – ")
    errors = page.locator("#erreurs").inner_text()
    assert "Nombre de personnes touchées" in errors and "Décrivez la photo" in errors
    assert_no_axe_violations(page)
    shot(page, "suivi-bilan-erreurs-390")
    page.get_by_label("Nombre de personnes touchées").fill("45")
    page.locator("#id_photo-0-photo").set_input_files(str(photo))  # a browser never keeps a chosen file
    page.locator("#id_photo-0-may_publish").check()
    page.get_by_label("Description de la photo 1").fill("Des enfants plantent des tomates dans un bac")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer le bilan au service").click()
    assert "Votre bilan est envoyé au service" in page.content()
    assert page.locator(".status").inner_text() == "Bilan reçu"
    assert Attachment.objects.get(kind=Attachment.Kind.PHOTO).scan_status == Attachment.ScanStatus.CLEAN

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(followup)
    assert "Des enfants plantent des tomates dans un bac" in page.content()
    assert_no_axe_violations(page)
    shot(page, "admin-bilan-1280")
    page.get_by_label("Clôturer le dossier").check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    assert "Dossier clôturé." in page.locator(".messagelist").inner_text()
    page.get_by_role("button", name="Créer le projet du catalogue").click()
    assert "est créé en brouillon" in page.locator(".messagelist").inner_text()
    assert_no_axe_violations(page)
    shot(page, "admin-projet-1280")

    project = Project.objects.get(source_application=application)
    assert not project.is_published
    assert [p.alt for p in project.photos.all()] == ["Des enfants plantent des tomates dans un bac"]
    assert Application.objects.get(pk=application.pk).status == S.CLOSED
    assert project.year_start == application.starts_on.year
