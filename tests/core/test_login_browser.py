"""The staff's login in a real browser: enrol an authentication application, log in with a TOTP code, the
password reset and the lockout pages; axe-core on each page and error state."""

from base64 import b32decode
from pathlib import Path

import pytest
from django.urls import reverse
from django_otp.oath import totp

from langres_portal.core.models import OutboxEmail
from tests.browser import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("content")]

PASSWORD = "motdepasse-solide-123"
SHOTS = Path("/tmp/shots-F")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def password_login(page, base, username="agent", password=PASSWORD):
    page.goto(base + reverse("admin:login"))
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()


def test_staff_member_enrols_then_logs_in_with_totp(browse, live_server, settings, django_user_model):
    settings.STAFF_2FA_REQUIRED = True
    django_user_model.objects.create_user("agent", "agent@example.org", PASSWORD, is_staff=True, is_superuser=True)
    base = live_server.url

    browse.goto(base + reverse("admin:login"))
    assert browse.get_by_role("link", name="Mot de passe oublié ?").is_visible()
    assert_no_axe_violations(browse)
    shot(browse, "01-connexion")

    password_login(browse, base)
    browse.wait_for_url(f"**{reverse('staff_2fa_enrol')}**")
    assert browse.locator(".staff-2fa-qr svg").is_visible()
    assert_no_axe_violations(browse)
    shot(browse, "02-activation")

    browse.get_by_label("Code (obligatoire)").fill("000000")
    browse.get_by_role("button", name="Activer").click()
    browse.locator(".errorlist").wait_for()
    assert browse.title().startswith("Erreur – ")
    assert_no_axe_violations(browse)

    key = b32decode(browse.locator(".staff-2fa-secret").inner_text().replace(" ", ""))
    browse.wait_for_timeout(1100)  # a refused code makes the next try wait a second (django-otp's throttling)
    used = f"{totp(key):06d}"
    browse.get_by_label("Code (obligatoire)").fill(used)
    browse.get_by_role("button", name="Activer").click()
    browse.wait_for_url(f"**{reverse('staff_2fa_recovery_codes')}**")
    assert browse.locator(".staff-2fa-codes li").count() == 10
    assert_no_axe_violations(browse)
    shot(browse, "03-codes-de-secours")
    browse.get_by_role("link", name="J’ai noté mes codes, continuer").click()
    browse.wait_for_url(base + reverse("admin:index"))

    browse.get_by_role("button", name="Déconnexion").click()
    password_login(browse, base)
    browse.wait_for_url(f"**{reverse('staff_2fa_verify')}**")
    assert_no_axe_violations(browse)
    shot(browse, "04-deuxieme-facteur")
    browse.get_by_label("Code (obligatoire)").fill(used)  # the code already used at enrolment
    browse.get_by_role("button", name="Vérifier le code").click()
    browse.locator(".errorlist").wait_for()
    assert "déjà utilisé" in browse.locator(".errorlist").inner_text()
    assert_no_axe_violations(browse)
    shot(browse, "05-deuxieme-facteur-erreur")
    # The next time step's code: the application shows it within 30 seconds; a refused code makes the next
    # try wait a second (django-otp's throttling).
    browse.wait_for_timeout(1100)
    browse.get_by_label("Code (obligatoire)").fill(f"{totp(key, t0=-30):06d}")
    browse.get_by_role("button", name="Vérifier le code").click()
    browse.wait_for_url(base + reverse("admin:index"))
    assert browse.locator("h1").inner_text() == "Contenus et dossiers"


def test_reset_and_lockout_pages(browse, live_server, django_user_model):
    django_user_model.objects.create_user("agent", "agent@example.org", PASSWORD, is_staff=True)
    base = live_server.url

    browse.goto(base + reverse("admin:login"))
    browse.get_by_role("link", name="Mot de passe oublié ?").click()
    browse.wait_for_url(base + reverse("admin_password_reset"))
    assert_no_axe_violations(browse)
    shot(browse, "06-mot-de-passe-oublie")
    browse.get_by_label("Adresse électronique").fill("agent@example.org")
    browse.get_by_role("button", name="Recevoir le lien par courriel").click()
    browse.wait_for_url(base + reverse("password_reset_done"))
    assert_no_axe_violations(browse)
    shot(browse, "07-courriel-envoye")
    link = next(line for line in OutboxEmail.objects.get().body_text.splitlines() if "/nouveau-mot-de-passe/" in line)
    browse.goto(link)
    browse.locator("#id_new_password1").wait_for()
    assert_no_axe_violations(browse)
    shot(browse, "08-nouveau-mot-de-passe")

    password_login(browse, base, password="mauvais")
    browse.locator(".errornote").first.wait_for()
    assert_no_axe_violations(browse)  # the login page with its error
    shot(browse, "09-connexion-erreur")
    for _ in range(4):
        password_login(browse, base, password="mauvais")
    assert browse.locator("h1").inner_text() == "Connexion temporairement bloquée"
    password_login(browse, base)  # the right password, refused
    assert browse.locator("h1").inner_text() == "Connexion temporairement bloquée"
    assert_no_axe_violations(browse)
    shot(browse, "10-connexion-bloquee")
