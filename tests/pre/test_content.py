"""The PRE's initial content: loaded from pre.toml, once, without ever overwriting staff edits."""

import pytest
from django.core.management import call_command

from langres_portal.core.models import EmailTemplate, Page
from pre.models import FaqEntry, PreSettings, Section, TeamMember

pytestmark = pytest.mark.django_db


def test_loads_sections_faq_team_settings_pages_and_email_template():
    call_command("load_initial_content", verbosity=0)
    assert Section.objects.count() == 10
    assert FaqEntry.objects.count() == 6
    assert TeamMember.objects.count() == 2
    settings_row = PreSettings.objects.get()
    assert settings_row.coordinator_email == "elodie.petit@langres.fr"
    assert "Bâtiment les Tulipes" in settings_row.address
    assert (
        Page.objects.filter(slug__in=["reussite-educative-contact", "reussite-educative-contact-envoyee"]).count() == 2
    )
    assert EmailTemplate.objects.filter(key="pre-nouvelle-demande").exists()
    extras = set(Section.objects.values_list("extra", flat=True))
    assert {"address_lookup", "team", "faq", "contact"} <= extras


def test_loading_again_keeps_staff_edits_and_deletions():
    call_command("load_initial_content", verbosity=0)
    Section.objects.filter(slug="financement").update(title="Financeurs")
    PreSettings.objects.update(coordinator_email="autre@example.org")
    FaqEntry.objects.filter(order=6).delete()
    TeamMember.objects.filter(order=1).delete()
    TeamMember.objects.filter(order=2).update(name="Nom ajouté")
    counts = (Section.objects.count(), FaqEntry.objects.count(), TeamMember.objects.count())
    call_command("load_initial_content", verbosity=0)
    assert (Section.objects.count(), FaqEntry.objects.count(), TeamMember.objects.count()) == counts
    assert Section.objects.get(slug="financement").title == "Financeurs"
    assert PreSettings.objects.get().coordinator_email == "autre@example.org"
    assert TeamMember.objects.get(order=2).name == "Nom ajouté"


def test_questions_all_deleted_by_staff_are_not_recreated():
    call_command("load_initial_content", verbosity=0)
    FaqEntry.objects.all().delete()
    call_command("load_initial_content", verbosity=0)
    assert FaqEntry.objects.count() == 0


def test_rich_text_from_the_file_is_sanitised(tmp_path):
    """The shipped files hold no script: a content folder with one shows the loader cleans what it reads."""
    (tmp_path / "pre.toml").write_text(
        """
[[pre.sections]]
slug = "piegee"
title = "Partie piégée"
order = 10
body = '''<p style="color:red" onclick="alert(1)">Texte <strong>gardé</strong>.</p><script>alert(2)</script>
<a href="javascript:alert(3)">lien</a> <a href="https://www.langres.fr/">site</a>'''
""",
        encoding="utf-8",
    )
    call_command("load_initial_content", dir=str(tmp_path), verbosity=0)
    body = Section.objects.get(slug="piegee").body
    for unsafe in ("<script", "alert(2)", "style=", "onclick", "javascript:"):
        assert unsafe not in body
    assert "<strong>gardé</strong>" in body and 'href="https://www.langres.fr/"' in body
