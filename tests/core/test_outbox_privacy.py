"""The outbox shown to staff who are not superusers: no applicant's personal link in the e-mails' text."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from langres_portal.core.admin import PRIVATE_LINK_MASK, mask_private_links
from langres_portal.core.models import OutboxEmail

SITE = "https://portail.example.org"
TOKEN = "Zq3-secret-jeton-9f8e7d"


def body():
    tracking = SITE + reverse("microprojets:tracking", args=[TOKEN])
    resume = SITE + reverse("microprojets:resume", args=[TOKEN])
    reset = SITE + reverse("password_reset_confirm", args=["MQ", TOKEN])
    public = SITE + reverse("microprojets:index")
    return (
        f"Bonjour,\nSuivez votre dossier : {tracking}\nReprendre le brouillon ({resume}).\n"
        f"Mot de passe : {reset}\nLes appels : {public}\n"
    )


def test_personal_links_are_masked_and_public_links_kept():
    masked = mask_private_links(body())
    assert TOKEN not in masked
    assert masked.count(PRIVATE_LINK_MASK) == 3
    assert f"Reprendre le brouillon ({PRIVATE_LINK_MASK})." in masked
    assert f"Les appels : {SITE}{reverse('microprojets:index')}" in masked
    assert mask_private_links("https://ailleurs.example.org/suivi/") == "https://ailleurs.example.org/suivi/"


@pytest.fixture
def mail(db):
    return OutboxEmail.objects.create(to=["a@example.org"], subject="Votre dossier MP-2026-0001", body_text=body())


@pytest.mark.django_db
def test_staff_reading_the_outbox_do_not_see_personal_links(client, django_user_model, mail):
    reader = django_user_model.objects.create_user("lecteur", "l@example.org", "motdepasse-solide-123", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_outboxemail"))
    client.force_login(reader)
    response = client.get(reverse("admin:core_outboxemail_change", args=[mail.pk]))
    assertContains(response, PRIVATE_LINK_MASK)
    assertContains(response, "Suivez votre dossier")
    assertNotContains(response, TOKEN)
    listing = client.get(reverse("admin:core_outboxemail_changelist"))
    assertContains(listing, "Votre dossier MP-2026-0001")
    assertNotContains(listing, "Suivez votre dossier")  # no column shows the text


@pytest.mark.django_db
def test_superusers_read_the_text_as_sent(client, django_user_model, mail):
    client.force_login(django_user_model.objects.create_superuser("chef", "c@example.org", "motdepasse-solide-123"))
    response = client.get(reverse("admin:core_outboxemail_change", args=[mail.pk]))
    assertContains(response, TOKEN)
    assertNotContains(response, PRIVATE_LINK_MASK)
