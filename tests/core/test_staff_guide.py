"""The staff guide's screenshots (docs/guide-agents.md): an agent does in Chromium what the guide tells, and each
step's screen is taken. `make docs-screenshots` writes them to docs/guide/, where they are committed; in the
normal suite they go to a temporary folder and the steps are checked all the same (axe-core on each screen).
The instruction of an application and the committee come from the whole-life test
(tests/microprojets/test_browser_life.py), which writes its screens to the same folder."""

import io
import os
import re
from base64 import b32decode
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from PIL import Image

from contrat_ville.models import Pillar, Project
from langres_portal.core.models import Page
from langres_portal.core.permissions import ROLE_EDITORS
from pre.models import ContactRequest
from tests.browser import AXE_IMPORT, assert_no_axe_violations
from tests.pre.factories import ContactRequestFactory, coordination_group

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide-agents.md"
GUIDE_IMAGES = GUIDE.parent / "guide"
PASSWORD = "motdepasse-solide-123"


def guide_folder(tmp_path):
    return GUIDE_IMAGES if os.environ.get("DOCS_CAPTURES") == "1" else tmp_path


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (40, 120, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.browser
@pytest.mark.usefixtures("content")
def test_the_guide_s_steps_work_as_written_and_give_its_screenshots(
    browse, live_server, settings, django_user_model, tmp_path
):
    settings.STAFF_2FA_REQUIRED = True
    folder = guide_folder(tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page, base = browse, live_server.url
    page.problems.expected_console.append(AXE_IMPORT)
    page.set_viewport_size({"width": 1280, "height": 900})

    def screen(name):
        page.wait_for_load_state("load")
        assert_no_axe_violations(page)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    # An agent of a small service: the site's texts (« Rédaction ») and the PRE's requests, no superuser rights.
    agent = django_user_model.objects.create_user(
        "c.martin", "c.martin@example.org", PASSWORD, is_staff=True, first_name="Camille"
    )
    agent.groups.add(Group.objects.get(name=ROLE_EDITORS), coordination_group())

    # 1. Log in, with the second factor.
    page.goto(base + reverse("admin:login"))
    page.get_by_label("Nom d’utilisateur").fill("c.martin")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    screen("01-connexion")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(f"**{reverse('staff_2fa_enrol')}**")
    screen("02-activation-deuxieme-facteur")
    key = b32decode(page.locator(".staff-2fa-secret").inner_text().replace(" ", ""))
    page.get_by_label("Code (obligatoire)").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Activer").click()
    page.wait_for_url(f"**{reverse('staff_2fa_recovery_codes')}**")
    screen("03-codes-de-secours")
    page.get_by_role("link", name="J’ai noté mes codes, continuer").click()
    page.wait_for_url(base + reverse("admin:index"))
    screen("04-accueil-administration")

    # 2. Change a text: the contact page's introduction.
    page.goto(base + reverse("admin:core_page_changelist") + "?q=contact")
    screen("05-pages-recherche")
    page.get_by_role("link", name="Contacter le service").click()
    old_summary = page.get_by_label("Chapeau").input_value()
    page.get_by_label("Chapeau").fill("Appelez-nous ou passez nous voir : nous répondons à toutes vos questions.")
    editor = page.locator(".field-body").get_by_role("textbox", name="Contenu")  # the editor of long texts
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+b")
    page.keyboard.type("Permanence le mercredi matin.")
    page.keyboard.press("Control+b")
    screen("06-page-modifier")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.locator(".messagelist .success").wait_for()
    page.goto(base + reverse("contact"))
    main = page.locator("main")
    assert "nous répondons à toutes vos questions" in main.inner_text()
    assert main.locator("strong", has_text="Permanence le mercredi matin.").count() == 1

    # 2 b. Restore the old version: « Historique », the version, « Restaurer cette version ».
    contact = Page.objects.get(slug="contact")
    page.goto(base + reverse("admin:core_page_change", args=[contact.pk]))
    page.get_by_role("link", name="Historique").click()
    page.wait_for_url("**/history/")
    screen("06b-historique")
    page.locator("table.history-list").first.locator("tbody tr").last.get_by_role("link").click()
    page.get_by_role("link", name="Restaurer cette version").click()
    page.get_by_role("button", name="Oui, restaurer cette version").wait_for()
    screen("06c-restaurer-version")
    page.get_by_role("button", name="Oui, restaurer cette version").click()
    page.locator(".messagelist").wait_for()
    contact.refresh_from_db()
    assert contact.summary == old_summary and "Permanence" not in contact.body

    # 2 c. The PRE's phone number, in « Réglages du PRE »: the PRE page and the home page show it at once.
    from pre.models import PreSettings

    page.goto(base + reverse("admin:pre_presettings_change", args=[PreSettings.objects.get().pk]))
    page.locator("#id_phone").fill("03 25 87 00 11")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.locator(".messagelist .success").wait_for()
    page.goto(base + reverse("pre:index"))
    assert page.locator('.pre-first a[href="tel:+33325870011"]').is_visible()

    # 3. Add a project with a photo, kept as a draft; 4. preview the draft on the site.
    photo = tmp_path / "jardin.jpg"
    photo.write_bytes(jpeg_bytes())
    pillar = Pillar.objects.order_by("order", "pk").first()
    page.goto(base + reverse("admin:contrat_ville_project_add"))
    page.locator("#id_title").fill("Jardin partagé des Ouches")
    page.locator("#id_year_start").fill(str(timezone.localdate().year))
    page.locator("#id_pillar").select_option(str(pillar.pk))
    page.locator("#id_porteur_name").fill("Association Les Jardins d’Ici")
    page.locator("#id_porteur_kind").select_option(index=1)
    page.locator("#id_summary").fill("Des parcelles cultivées ensemble au pied des immeubles.")
    description = page.locator(".field-description").get_by_role("textbox")  # written in the editor
    description.click()
    page.keyboard.type("Douze bacs, des outils partagés et un ")
    page.keyboard.press("Control+i")
    page.keyboard.type("apéro des récoltes")
    page.keyboard.press("Control+i")
    page.keyboard.type(" chaque saison.")
    page.locator("#id_photos-0-upload").set_input_files(str(photo))
    page.locator("#id_photos-0-alt").fill("Des habitants plantent des salades dans un bac en bois.")
    screen("07-projet-ajouter")
    page.get_by_role("button", name="Enregistrer et continuer les modifications").click()
    page.locator(".messagelist .success").wait_for()
    project = Project.objects.get(title="Jardin partagé des Ouches")
    assert not project.is_published and project.photos.count() == 1
    page.locator("#content").get_by_role("link", name="Voir sur le site").click()
    page.wait_for_url(f"**{project.get_absolute_url()}")
    assert "Brouillon" in page.locator("main").inner_text()
    assert page.locator("main em", has_text="apéro des récoltes").count() == 1
    assert page.get_by_role("img", name="Des habitants plantent des salades dans un bac en bois.").is_visible()
    screen("08-projet-apercu-brouillon")

    # 5. Open a call for projects.
    page.goto(base + reverse("admin:microprojets_call_add"))
    opens, closes = timezone.localdate(), timezone.localdate() + timedelta(days=60)
    page.locator("#id_title").fill(f"Microprojets {closes.year}")
    page.get_by_label("Ouverture des dépôts").fill(opens.strftime("%d/%m/%Y 09:00"))
    page.get_by_label("Clôture des dépôts").fill(closes.strftime("%d/%m/%Y 18:00"))
    page.locator("#id_envelope").fill("10000")
    page.locator("#id_max_amount").fill("1500")
    page.locator("#id_is_published").check()
    screen("09-appel-ouvrir")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.locator(".messagelist .success").wait_for()
    page.goto(base + reverse("microprojets:index"))
    assert f"Microprojets {closes.year}" in page.locator("main").inner_text()

    # 6. Answer a PRE request: call the family back, then mark it handled.
    request = ContactRequestFactory(name="Awa Diallo")
    page.goto(base + reverse("admin:pre_contactrequest_changelist"))
    screen("10-demandes-pre")
    page.locator("#result_list tbody tr", has_text="Awa Diallo").locator("th a").click()
    page.get_by_label("Traitée").check()
    screen("11-demande-pre-traiter")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.locator(".messagelist .success").wait_for()
    request.refresh_from_db()
    assert request.handled_at is not None and request.handled_by == agent
    assert ContactRequest.objects.filter(handled_at__isnull=True).count() == 0


def test_the_guide_shows_every_screenshot_the_tests_take_and_no_other():
    """The guide and its images stay together: each image it shows exists in docs/guide/, each image there is
    shown, and each name is one the browser tests write (this file's and the whole-life test's)."""
    text = GUIDE.read_text(encoding="utf-8")
    shown = set(re.findall(r"\]\(guide/([\w-]+\.png)\)", text))
    on_disk = {path.name for path in GUIDE_IMAGES.glob("*.png")}
    assert shown and shown == on_disk
    sources = "".join(
        Path(__file__).parents[1].joinpath(name).read_text(encoding="utf-8")
        for name in ("core/test_staff_guide.py", "microprojets/test_browser_life.py")
    )
    for name in shown:
        assert f'"{name.removesuffix(".png").removeprefix("instruction-")}"' in sources, name
    headings = [
        "Se connecter", "Modifier un texte", "Revenir à une version précédente", "Ajouter un projet",
        "Voir un brouillon", "Ouvrir un appel", "demande", "Instruire un dossier", "comité",
    ]  # fmt: skip
    for heading in headings:
        assert heading in text, heading
