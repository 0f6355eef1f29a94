"""History of the public content (core.history): who changed what, old and new values, « Restaurer cette
version », and what never gets a history (personal data)."""

from io import BytesIO

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from contrat_ville.models import Partner, Pillar, Project
from langres_portal.core.history import RESTORE_REASON, history_date_label
from langres_portal.core.models import Page

from ..contrat_ville.factories import PillarFactory, ProjectFactory

# What « Rédaction » edits: each has a history. Anything else (applications, PRE requests, drafts, the outbox,
# committees…) holds or may hold personal data, and must not be copied into a history that outlives retention.
CONTENT_MODELS = {
    "core.SiteIdentity", "core.Page", "core.EmailTemplate", "core.HomeBlock", "core.GlossaryTerm",
    "core.EasyReadPage", "core.EasyReadBlock",
    "quartiers.Quartier", "quartiers.Commune", "quartiers.StatusPeriod", "quartiers.KeyFigure", "quartiers.Photo",
    "quartiers.Street",
    "contrat_ville.Pillar", "contrat_ville.Contract", "contrat_ville.ContractDocument", "contrat_ville.Partner",
    "contrat_ville.ConseilCitoyen", "contrat_ville.Video", "contrat_ville.Theme", "contrat_ville.Project",
    "contrat_ville.ProjectCofunder", "contrat_ville.ProjectPhoto",
    "microprojets.Call", "microprojets.CallDocument", "microprojets.ReplyTemplate", "microprojets.EligibilityMessage",
    "pre.Section", "pre.FaqEntry", "pre.TeamMember", "pre.PreSettings",
}  # fmt: skip
PASSWORD = "motdepasse-solide-123"


def history_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk])


def version_url(obj, version):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, version.history_id])


def restore_url(obj, version):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history_restore", args=[obj.pk, version.history_id])


def staff_with(django_user_model, username, *codenames):
    user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def editor(django_user_model):
    return staff_with(
        django_user_model, "redactrice", "view_project", "change_project", "view_pillar", "change_pillar"
    )


@pytest.fixture
def project_with_two_versions(db, editor):
    project = ProjectFactory(title="Jardin partagé", summary="Un jardin au pied des immeubles.")
    project.summary = "Un jardin partagé, ouvert à tous les habitants."
    project._history_user = editor
    project.save()
    return project


# --- What has a history ---------------------------------------------------------------------------------------


def test_exactly_the_content_models_keep_a_history():
    with_history = {
        model._meta.label
        for model in apps.get_models()
        if hasattr(model, "history") and getattr(model._meta, "simple_history_manager_attribute", None)
    }
    assert with_history == CONTENT_MODELS


@pytest.mark.parametrize("label", ["microprojets.Application", "microprojets.Draft", "pre.ContactRequest",
                                   "core.OutboxEmail", "microprojets.Attachment", "microprojets.Event"])  # fmt: skip
def test_personal_data_has_no_history(label):
    assert not hasattr(apps.get_model(label), "history")


def test_versions_have_no_admin_and_no_permissions_to_grant():
    history_models = [apps.get_model(label).history.model for label in CONTENT_MODELS]
    assert not any(admin.site.is_registered(model) for model in history_models)
    assert all(model._meta.default_permissions == () for model in history_models)
    assert str(Page.history.model._meta.verbose_name) == "version – page ou texte"


def test_every_content_admin_offers_the_history_and_restore():
    for label in CONTENT_MODELS:
        model = apps.get_model(label)
        if admin.site.is_registered(model):  # the others are inlines of their parent's page
            assert hasattr(admin.site.get_model_admin(model), "history_restore_view"), label


# --- Recording -------------------------------------------------------------------------------------------------


def test_an_admin_edit_records_its_author_and_the_old_and_new_values(client, editor):
    pillar = PillarFactory(name="Cadre de vie", summary="Ancien texte.")
    client.force_login(editor)
    response = client.post(
        reverse("admin:contrat_ville_pillar_change", args=[pillar.pk]),
        {"name": "Cadre de vie", "slug": pillar.slug, "order": 0, "summary": "Nouveau texte.", "objectives": ""},
    )
    assert response.status_code == 302
    latest, previous = pillar.history.all()[:2]
    assert latest.history_user == editor and latest.history_type == "~"
    delta = latest.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("summary", "Ancien texte.", "Nouveau texte.")]


def test_the_history_page_lists_who_when_and_what_changed(client, editor, project_with_two_versions):
    project = project_with_two_versions
    client.force_login(editor)
    response = client.get(history_url(project))
    assertContains(response, "<h1>Historique de « Jardin partagé »</h1>", html=True)
    assertContains(response, "redactrice")
    assertContains(response, "Modification")
    assertContains(response, "Première version.")
    assertContains(response, "<strong>Résumé</strong>", html=True)
    assertContains(response, "Un jardin au pied des immeubles.")
    assertContains(response, "Un jardin partagé, ouvert à tous les habitants.")
    latest = project.history.first()
    assertContains(response, f'href="{version_url(project, latest)}"')


def test_the_version_page_shows_old_and_new_values_side_by_side(client, editor, project_with_two_versions):
    project = project_with_two_versions
    oldest = project.history.last()
    latest = project.history.first()
    client.force_login(editor)

    response = client.get(version_url(project, latest))
    assertContains(
        response,
        "<tr><th scope='row'>Résumé</th><td class='history-value'>Un jardin au pied des immeubles.</td>"
        "<td class='history-value'>Un jardin partagé, ouvert à tous les habitants.</td></tr>",
        html=True,
    )
    assertContains(response, "il n’y a rien à restaurer")

    response = client.get(version_url(project, oldest))
    assertContains(response, "C’est la première version enregistrée")
    assertContains(
        response,
        "<tr><th scope='row'>Résumé</th><td class='history-value'>Un jardin partagé, ouvert à tous les habitants."
        "</td><td class='history-value'>Un jardin au pied des immeubles.</td></tr>",
        html=True,
    )
    assertContains(response, f'href="{restore_url(project, oldest)}"')


def test_the_history_page_makes_as_many_queries_for_3_versions_as_for_30(client, editor):
    pillar_a, pillar_b = PillarFactory(name="A"), PillarFactory(name="B")
    client.force_login(editor)

    def queries_for(versions):
        project = ProjectFactory(pillar=pillar_a)
        for i in range(versions - 1):
            project.summary = f"Version {i}"
            project.pillar = pillar_b if i % 2 else pillar_a
            project.save()
        client.get(history_url(project))  # warm the session and content types
        with CaptureQueriesContext(connection) as queries:
            response = client.get(history_url(project))
        assert response.status_code == 200
        assertContains(response, "<strong>Pilier</strong>", html=True)
        return len(queries)

    assert queries_for(3) == queries_for(30)


# --- Restore ---------------------------------------------------------------------------------------------------


def test_restore_asks_for_confirmation_then_restores_and_records_it(client, editor, project_with_two_versions):
    project = project_with_two_versions
    oldest = project.history.last()
    client.force_login(editor)

    response = client.get(restore_url(project, oldest))
    assertContains(response, "Ce que la restauration va changer")
    assertContains(response, "Oui, restaurer cette version")
    project.refresh_from_db()
    assert project.summary == "Un jardin partagé, ouvert à tous les habitants."  # a GET changes nothing

    response = client.post(restore_url(project, oldest))
    assertRedirects(response, reverse("admin:contrat_ville_project_change", args=[project.pk]), 302, 200)
    project.refresh_from_db()
    assert project.summary == "Un jardin au pied des immeubles."
    restored = project.history.first()
    assert project.history.count() == 3
    assert restored.history_user == editor
    assert restored.history_change_reason == RESTORE_REASON.format(date=history_date_label(oldest.history_date))
    assert restored.history_change_reason.startswith("Restauration de la version du ")

    response = client.get(history_url(project))
    assertContains(response, restored.history_change_reason)


def test_a_user_who_may_only_view_cannot_restore(client, django_user_model, project_with_two_versions):
    project = project_with_two_versions
    oldest = project.history.last()
    reader = staff_with(django_user_model, "lecteur", "view_project")
    client.force_login(reader)

    assert client.get(history_url(project)).status_code == 200
    response = client.get(version_url(project, oldest))
    assertNotContains(response, restore_url(project, oldest))
    assertContains(response, "il faut le droit de modifier cet élément")
    assert client.get(restore_url(project, oldest)).status_code == 403
    assert client.post(restore_url(project, oldest)).status_code == 403
    project.refresh_from_db()
    assert project.summary == "Un jardin partagé, ouvert à tous les habitants."
    assert project.history.count() == 2


def test_a_staff_member_without_permission_on_the_model_sees_no_history(
    client, django_user_model, project_with_two_versions
):
    project = project_with_two_versions
    client.force_login(staff_with(django_user_model, "autre", "view_pillar", "change_pillar"))
    oldest = project.history.last()
    for url in (history_url(project), version_url(project, oldest), restore_url(project, oldest)):
        assert client.get(url).status_code == 403, url
    assert client.post(restore_url(project, oldest)).status_code == 403


def test_an_unknown_version_is_a_404(client, editor, project_with_two_versions):
    project = project_with_two_versions
    other = ProjectFactory()
    client.force_login(editor)
    version_of_other = other.history.first()
    assert client.get(version_url(project, version_of_other)).status_code == 404
    assert client.post(restore_url(project, version_of_other)).status_code == 404


def test_restored_rich_text_goes_through_the_sanitiser_again(client, editor):
    project = ProjectFactory(description="<p>Premier texte.</p>")
    project.description = "<p>Second texte.</p>"
    project.save()
    oldest = project.history.last()
    # A version holding a script (written before the sanitiser existed, or straight into the table).
    project.history.filter(history_id=oldest.history_id).update(
        description='<p>Premier texte.</p><script>alert("x")</script><img src=x onerror=alert(1)>'
    )
    client.force_login(editor)
    version_page = client.get(version_url(project, oldest))
    assertNotContains(version_page, "<script>alert", status_code=200)  # shown as text, escaped
    client.post(restore_url(project, oldest))
    project.refresh_from_db()
    assert project.description == "<p>Premier texte.</p>"


def test_a_restore_that_breaks_a_rule_of_today_stores_nothing_and_says_why(client, editor):
    project = ProjectFactory(slug="jardin")
    project.slug = "jardin-partage"
    project.save()
    oldest = project.history.last()
    ProjectFactory(slug="jardin")  # the old address is now another project's
    client.force_login(editor)
    response = client.post(restore_url(project, oldest))
    assert response.status_code == 400
    assertContains(response, "Rien n’a été restauré", status_code=400)
    assertContains(response, "Adresse de la page :", status_code=400)
    assert response.context["title"].startswith("Restaurer")
    project.refresh_from_db()
    assert project.slug == "jardin-partage" and project.history.count() == 2


def test_a_required_page_cannot_be_restored_to_an_unpublished_version(client, content, staff_user):
    page = Page.objects.get(slug="mentions-legales")
    page.title = "Mentions légales (nouveau titre)"
    page.save()
    oldest = page.history.last()
    page.history.filter(history_id=oldest.history_id).update(is_published=False)
    client.force_login(staff_user)
    response = client.post(restore_url(page, oldest))
    assertContains(response, "Rien n’a été restauré", status_code=400)
    page.refresh_from_db()
    assert page.is_published and page.title == "Mentions légales (nouveau titre)"


def png(colour):
    out = BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


def test_a_file_removed_since_is_not_restored_the_current_one_stays(
    client, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        partner = Partner.objects.create(name="CAF", category="etat", logo=png("red"), logo_alt="Logo de la CAF")
    first_logo = partner.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        partner.name = "Caisse d’allocations familiales"
        partner.logo = png("blue")
        partner.save()  # the pipeline removes the replaced logo from the disk
    current_logo = partner.logo.name
    assert not partner.logo.storage.exists(first_logo) and partner.logo.storage.exists(current_logo)
    oldest = partner.history.last()

    client.force_login(staff_user)
    response = client.get(restore_url(partner, oldest))
    assertContains(response, "a été supprimé du disque quand il a été remplacé : le fichier actuel est gardé")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(restore_url(partner, oldest), follow=True)
    assertContains(response, "le fichier actuel est gardé")
    partner.refresh_from_db()
    assert partner.name == "CAF"  # the text is restored…
    assert partner.logo.name == current_logo and partner.logo.storage.exists(current_logo)  # …not the lost file


def test_a_file_still_on_disk_is_restored(client, staff_user):
    partner = Partner.objects.create(name="CAF", category="etat", logo=png("red"), logo_alt="Logo de la CAF")
    first_logo = partner.logo.name
    partner.logo = png("blue")
    partner.save()  # outside a commit callback: the old file is still there
    client.force_login(staff_user)
    client.post(restore_url(partner, partner.history.last()))
    partner.refresh_from_db()
    assert partner.logo.name == first_logo


# --- Retention -------------------------------------------------------------------------------------------------


def test_deleting_a_staff_account_keeps_its_versions_without_author(editor, project_with_two_versions):
    project = project_with_two_versions
    assert project.history.filter(history_user=editor).count() == 1
    editor.delete()
    assert project.history.count() == 2
    assert project.history.filter(history_user__isnull=True).count() == 2


def test_deleting_a_project_keeps_its_history(project_with_two_versions):
    project_id = project_with_two_versions.pk
    project_with_two_versions.delete()
    assert Project.history.filter(id=project_id).count() == 3  # its creation, its change, its deletion


def test_the_initial_content_still_loads_twice(content):
    from django.core.management import call_command

    call_command("load_initial_content", verbosity=0)
    assert Pillar.objects.exists()


def test_a_date_saved_again_by_the_admin_form_is_not_a_change(client, editor, project_with_two_versions):
    project = project_with_two_versions
    Project.objects.filter(pk=project.pk).update(created_at=project.created_at.replace(microsecond=0))
    client.force_login(editor)
    response = client.get(version_url(project, project.history.last()))
    changed = [row["label"] for row in response.context["to_restore"]]
    assert changed == ["Résumé"]


def test_every_version_forgets_its_author_rather_than_disappear_with_the_account():
    from django.db import models

    for label in CONTENT_MODELS:
        field = apps.get_model(label).history.model._meta.get_field("history_user")
        assert field.remote_field.on_delete is models.SET_NULL, label


def test_a_restore_leaves_alone_the_fields_the_code_keeps(client, content, staff_user):
    from langres_portal.core.models import EmailTemplate

    template = EmailTemplate.objects.first()
    template.subject = "Nouvel objet"
    template.save()
    oldest = template.history.last()
    EmailTemplate.objects.filter(pk=template.pk).update(variables="nom, lien, date")  # the code's new list
    client.force_login(staff_user)
    client.post(restore_url(template, oldest))
    template.refresh_from_db()
    assert template.subject == oldest.subject and template.variables == "nom, lien, date"


def test_the_history_lists_the_versions_of_the_parts_edited_on_the_same_page(client, staff_user):
    from contrat_ville.models import ProjectCofunder

    def history_queries(cofunders):
        project = ProjectFactory()
        for i in range(cofunders):
            cofunder = ProjectCofunder.objects.create(project=project, name=f"Fondation {i}")
            cofunder.amount = 1000 + i
            cofunder.save()
        client.get(history_url(project))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(history_url(project))
        return response, len(queries)

    client.force_login(staff_user)
    response, few = history_queries(1)
    assertContains(response, "Éléments modifiés sur la même fiche")
    assertContains(response, "Cofinanceur : Fondation 0")
    assertContains(response, "<strong>Montant (€)</strong>", html=True)
    assertContains(response, "1000")
    _, many = history_queries(12)
    assert few == many


def test_the_content_loader_gives_rows_without_history_a_starting_version_once(db):
    from django.core.management import call_command

    from ..contrat_ville.factories import bulk_projects

    call_command("load_initial_content", verbosity=0)
    pillar = Pillar.objects.first()
    projects = bulk_projects(3, pillar)  # bulk_create: no version
    assert not Project.history.filter(id__in=[p.pk for p in projects]).exists()
    call_command("load_initial_content", verbosity=0)
    baselines = Project.history.filter(id__in=[p.pk for p in projects])
    assert baselines.count() == 3
    assert {b.history_change_reason for b in baselines} == {
        "Version de départ (le texte tel qu’il était avant l’historique)"
    }
    call_command("load_initial_content", verbosity=0)
    assert baselines.count() == 3
    assert all(model.history.count() >= model._default_manager.count() for model in (Page, Pillar, Project))
