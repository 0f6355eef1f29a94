"""The pages of accounts and roles as a superuser sees them (their own record, another's, a role), and the outbox
as a reader who is not a superuser: axe-core reports no violation."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from langres_portal.core.admin import PRIVATE_LINK_MASK
from langres_portal.core.models import OutboxEmail
from langres_portal.core.permissions import ROLE_EDITORS
from tests.browser import AXE_IMPORT, assert_no_axe_violations

pytestmark = [pytest.mark.browser]
PASSWORD = "motdepasse-solide-123"


def log_in(page, live_server, username):
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/admin/")


def test_a_superuser_gives_a_role_on_accessible_pages(browse, live_server, django_user_model, content):
    page = browse
    page.problems.expected_console.append(AXE_IMPORT)
    boss = django_user_model.objects.create_superuser("chef", "chef@example.org", PASSWORD)
    agent = django_user_model.objects.create_user("agent", "agent@example.org", PASSWORD, is_staff=True)
    log_in(page, live_server, "chef")

    page.goto(live_server.url + reverse("admin:auth_user_change", args=[agent.pk]))
    assert "Le rôle donne les droits de l’agent" in page.content()
    assert_no_axe_violations(page)
    page.goto(live_server.url + reverse("admin:auth_user_change", args=[boss.pk]))
    assert "Vous ne pouvez pas modifier vos propres rôles" in page.content()
    assert_no_axe_violations(page)
    page.goto(live_server.url + reverse("admin:auth_group_change", args=[Group.objects.get(name=ROLE_EDITORS).pk]))
    assert "Can change" not in page.content()
    assert_no_axe_violations(page)


def test_an_outbox_reader_sees_masked_links_on_an_accessible_page(browse, live_server, django_user_model, content):
    page = browse
    page.problems.expected_console.append(AXE_IMPORT)
    reader = django_user_model.objects.create_user("lecteur", "l@example.org", PASSWORD, is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_outboxemail"))
    tracking = live_server.url + reverse("microprojets:tracking", args=["jeton-secret-123"])
    mail = OutboxEmail.objects.create(to=["a@example.org"], subject="Votre dossier", body_text=f"Suivi : {tracking}")
    log_in(page, live_server, "lecteur")
    page.goto(live_server.url + reverse("admin:core_outboxemail_change", args=[mail.pk]))
    assert PRIVATE_LINK_MASK in page.content() and "jeton-secret-123" not in page.content()
    assert_no_axe_violations(page)
