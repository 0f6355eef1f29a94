import pytest
from django.core.management import call_command

from langres_portal.core.models import EmailTemplate, Page, SiteIdentity

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [SiteIdentity, Page, EmailTemplate]


def counts():
    from django.apps import apps

    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label != "auth"}


def test_loading_twice_duplicates_nothing(capsys):
    call_command("load_initial_content")
    first = counts()
    call_command("load_initial_content")
    assert counts() == first
    assert "0 élément(s) créé(s)" in capsys.readouterr().out


def test_loading_again_keeps_what_staff_edited():
    call_command("load_initial_content")
    SiteIdentity.objects.update(phone="03 25 00 00 00")
    Page.objects.filter(slug="accueil").update(title="Titre modifié par le service")
    call_command("load_initial_content")
    assert SiteIdentity.objects.get().phone == "03 25 00 00 00"
    assert Page.objects.get(slug="accueil").title == "Titre modifié par le service"


def test_loading_recreates_a_deleted_page():
    call_command("load_initial_content")
    Page.objects.filter(slug="plan-du-site").delete()
    call_command("load_initial_content")
    assert Page.objects.filter(slug="plan-du-site").exists()


def test_identity_comes_from_the_file_not_the_code():
    call_command("load_initial_content")
    identity = SiteIdentity.objects.get()
    assert identity.commune_name == "Ville de Langres"
    assert identity.phone == "03 25 87 77 90"
    assert identity.email == "sebastien.bertrand@langres.fr"


def test_another_commune_can_load_its_own_file(tmp_path):
    other = tmp_path / "site.toml"
    other.write_text(
        '[site]\ncommune_name = "Ville d’Ailleurs"\nservice_name = "Cohésion sociale"\naddress = "1 rue Haute"\n'
        'postcode = "99999"\ncity = "Ailleurs"\nphone = "01 23 45 67 89"\nemail = "contact@ailleurs.fr"\n',
        encoding="utf-8",
    )
    call_command("load_initial_content", dir=str(tmp_path))
    assert SiteIdentity.objects.get().commune_name == "Ville d’Ailleurs"


def test_unreadable_file_fails_with_a_french_message(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Impossible de lire"):
        call_command("load_initial_content", dir=str(tmp_path / "absent"))
