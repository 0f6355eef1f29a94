"""Rich text: one sanitiser (nh3) whose allow-list is the editor's, plain text keeps its paragraphs, what is
removed is reported on an admin save, and help texts are plain text."""

import pytest
from django.apps import apps
from django.contrib.admin.widgets import AdminTextareaWidget
from django.urls import reverse
from django.utils.html import escape
from django_prose_editor.config import allowlist_from_extensions, expand_extensions
from hypothesis import given
from hypothesis import strategies as st
from pytest_django.asserts import assertContains

from contrat_ville.models import Project
from langres_portal.core import fields
from langres_portal.core.fields import RichTextAdminWidget, RichTextField, sanitize_html, sanitize_report
from tests.contrat_ville.factories import ProjectFactory
from tests.contrat_ville.test_admin import project_data


def test_the_allow_list_is_what_the_editor_can_produce():
    editor = allowlist_from_extensions(expand_extensions(fields.EDITOR_EXTENSIONS))
    assert fields.ALLOWED_TAGS == editor["tags"]
    assert fields.URL_SCHEMES == editor["url_schemes"]
    for tag, attributes in fields.ALLOWED_ATTRIBUTES.items():
        assert attributes <= set(editor["attributes"][tag])  # the editor's rel is replaced by rel="noopener"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Bonjour", "<p>Bonjour</p>"),
        ("Première ligne\nseconde ligne", "<p>Première ligne<br>seconde ligne</p>"),
        ("Un.\n\nDeux.\r\n\r\nTrois.", "<p>Un.</p><p>Deux.</p><p>Trois.</p>"),
        ("Un.\n  \n\n\nDeux.", "<p>Un.</p><p>Deux.</p>"),
        (
            "Tarif < 5 € & gratuit\n\nle <strong>mardi</strong>",
            "<p>Tarif &lt; 5 € &amp; gratuit</p><p>le <strong>mardi</strong></p>",
        ),
        ("<p>Déjà</p>\n\n<p>en HTML</p>", "<p>Déjà</p>\n\n<p>en HTML</p>"),
        ("<ul><li>un</li></ul>", "<ul><li>un</li></ul>"),
        ("ligne<br>ligne", "ligne<br>ligne"),
        ("<b>gras</b> et <i>italique</i>", "<p><strong>gras</strong> et <em>italique</em></p>"),
        ("", ""),
    ],
)
def test_text_typed_without_tags_keeps_its_paragraphs_and_html_is_not_wrapped_twice(typed, stored):
    assert sanitize_html(typed) == stored


@given(st.text(alphabet=st.sampled_from("ab <>&/\n\"'=p"), max_size=60))
def test_sanitising_twice_changes_nothing(text):
    once = sanitize_html(text)
    assert sanitize_html(once) == once


def test_the_report_lists_removed_tags_and_attributes():
    _, report = sanitize_report(
        '<p onclick="a()" style="color:red">Texte<script>x()</script><script>y()</script></p>'
        '<a href="javascript:alert(1)" onmouseover="b()">lien</a><!-- note --><img src=x onerror=c()>'
    )
    assert report.describe() == (
        "balise <img> retirée, 2 balises <script> retirées, attribut href retiré, attribut onclick retiré, "
        "attribut onmouseover retiré, attribut style retiré, commentaire retiré"
    )


@pytest.mark.parametrize(
    "html",
    [
        "<h2>Titre</h2><p><strong>Gras</strong>, <em>italique</em><br>et "
        '<a href="https://example.org/" rel="noopener noreferrer nofollow" title="">un lien</a></p>',
        '<ol start="3"><li><p>trois</p></li></ol><ul><li><p>point</p></li></ul><h3>Sous-titre</h3>',
        "Texte simple\n\nsur deux paragraphes",
    ],
)
def test_what_the_editor_produces_is_not_reported(html):
    assert not sanitize_report(html)[1]


def test_every_model_field_help_text_is_plain_text():
    """The admin prints help texts without escaping them: none may hold markup or entities."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            help_text = str(getattr(field, "help_text", "") or "")
            assert escape(help_text).replace("&#x27;", "'") == help_text, f"{model.__name__}.{field.name}"
    form_field = RichTextField("texte", help_text="Une aide.").formfield(widget=AdminTextareaWidget)
    assert "<" not in form_field.help_text and form_field.help_text.startswith("Une aide. Mise en forme")


def test_the_admin_shows_the_editor_for_rich_text_only(admin_client, content):
    project = ProjectFactory(description="<p>Texte</p>")
    response = admin_client.get(reverse("admin:contrat_ville_project_change", args=[project.pk]))
    form = response.context["adminform"].form
    assert isinstance(form.fields["description"].widget, RichTextAdminWidget)
    assert not isinstance(form.fields["summary"].widget, RichTextAdminWidget)
    assertContains(response, 'type="importmap" nonce="')
    nonce = response.context["request"].csp_nonce
    assert f"script-src 'self' 'nonce-{nonce}'" in response["Content-Security-Policy"]
    assertContains(response, fields.HELP_TEXT)  # as text: no tag for the admin to render


def test_public_pages_keep_a_csp_without_nonce(client, content):
    response = client.get(reverse("contrat_ville:projects"))
    assert "script-src 'self';" in response["Content-Security-Policy"] + ";"
    assert "nonce" not in response["Content-Security-Policy"]


def test_an_admin_save_says_what_the_sanitiser_removed(admin_client, content):
    data = project_data(
        description='<p onclick="x()">Présentation<script>alert(1)</script></p>',
        **{"photos-TOTAL_FORMS": "0"},
    )
    response = admin_client.post(reverse("admin:contrat_ville_project_add"), data, follow=True)
    project = Project.objects.get(slug="atelier-photo")
    assert project.description == "<p>Présentation</p>"
    texts = [str(m) for m in response.context["messages"]]
    assert "Le texte « Description » a été nettoyé : balise <script> retirée, attribut onclick retiré." in texts
    assertContains(response, "balise &lt;script&gt; retirée")


def test_a_clean_admin_save_has_no_warning(admin_client, content):
    data = project_data(description="<p>Texte <strong>propre</strong></p>", **{"photos-TOTAL_FORMS": "0"})
    response = admin_client.post(reverse("admin:contrat_ville_project_add"), data, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_a_save_outside_the_admin_reports_nothing(content):
    project = ProjectFactory()
    project.description = "<p>x<script>y</script></p>"
    project.save()
    assert fields.sanitizer_reports.get() is None and project.description == "<p>x</p>"


def test_every_admin_form_help_text_is_plain_text(rf, admin_user):
    """The same for the forms of the admin, whose fields may carry their own help texts (Django's list of password
    rules on the new user form is HTML that Django builds and escapes itself: left out)."""
    from django.contrib import admin

    request = rf.get("/")
    request.user = admin_user
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_add_permission(request):
            continue
        for name, form_field in model_admin.get_form(request).base_fields.items():
            if (model._meta.label, name) in {("auth.User", "password1"), ("auth.User", "password2")}:
                continue
            help_text = str(form_field.help_text or "")
            assert escape(help_text).replace("&#x27;", "'") == help_text, f"{model.__name__}.{name}"
            checked += 1
    assert checked > 50
