"""A closed application becomes a draft project of the catalogue, with only the photos the applicant allowed."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from contrat_ville.models import Project, ProjectPhoto
from microprojets import workflow
from microprojets.demo import reach
from microprojets.models import Attachment
from microprojets.services.project import ProjectRefused, create_project

from .factories import ApplicationFactory, make_image, paid_application

S = workflow.Status
pytestmark = pytest.mark.django_db


def closed_with_photos(client):
    from contrat_ville.models import Pillar
    from quartiers.models import Quartier

    application = paid_application(pillar=Pillar.objects.first(), quartier=Quartier.objects.first())
    jpeg = SimpleUploadedFile("publiable.jpg", make_image("JPEG", (1600, 900)), content_type="image/jpeg")
    png = SimpleUploadedFile("privee.png", make_image("PNG"), content_type="image/png")
    data = {
        "what_happened": "Tout s’est bien passé.",
        "people_reached": "60",
        "photo-0-photo": jpeg,
        "photo-0-may_publish": "on",
        "photo-0-alt": "Les bacs du jardin partagé",
        "photo-1-photo": png,
    }
    assert client.post(reverse("microprojets:report", args=[application.tracking_token]), data).status_code == 302
    Attachment.objects.update(scan_status=Attachment.ScanStatus.CLEAN, scanned_at=timezone.now())
    application.refresh_from_db()
    return reach(application, S.CLOSED)


def test_a_closed_application_becomes_a_draft_project_linked_both_ways_with_the_allowed_photo(content, client):
    application = closed_with_photos(client)
    result = create_project(application_id=application.pk)
    project = Project.objects.get()
    assert result.project == project and result.photos == 1 and result.skipped_photos == 0
    assert not project.is_published
    assert (project.title, project.summary, project.pillar) == (
        application.title,
        application.summary,
        application.pillar,
    )
    assert project.year_start == application.starts_on.year
    assert list(project.quartiers.all()) == [application.quartier]
    assert project.participants == 60 and project.funding == int(application.amount_paid)
    assert project.source_application == application and application.project == project
    photo = ProjectPhoto.objects.get()
    assert photo.alt == "Les bacs du jardin partagé"
    assert photo.large.name.endswith(".webp") and photo.width == 1200  # the catalogue's own renditions
    assert photo.large.storage.exists(photo.large.name) and photo.small.storage.exists(photo.small.name)


def test_a_project_is_made_once(content, client):
    application = closed_with_photos(client)
    create_project(application_id=application.pk)
    with pytest.raises(ProjectRefused) as error:
        create_project(application_id=application.pk)
    assert "déjà été créé" in error.value.message
    assert Project.objects.count() == 1 and ProjectPhoto.objects.count() == 1


def test_a_photo_not_scanned_clean_is_not_copied(content, client):
    application = closed_with_photos(client)
    Attachment.objects.update(scan_status=Attachment.ScanStatus.PENDING, scanned_at=None)
    result = create_project(application_id=application.pk)
    assert result.photos == 0 and result.skipped_photos == 1 and not ProjectPhoto.objects.exists()


@pytest.mark.parametrize("status", [s for s in S.values if s != S.CLOSED])
def test_only_a_closed_application_becomes_a_project(content, status):
    application = ApplicationFactory(status=status)
    with pytest.raises(ProjectRefused) as error:
        create_project(application_id=application.pk)
    assert "Seul un dossier « Clôturé »" in error.value.message
    assert not Project.objects.exists()


def test_staff_create_the_project_from_the_page_and_from_the_list_action(content, client, admin_client):
    application = closed_with_photos(client)
    other = ApplicationFactory(status=S.SUBMITTED)
    url = reverse("admin:microprojets_application_followup", args=[application.pk])
    assert "Créer le projet du catalogue" in admin_client.get(url).content.decode()
    response = admin_client.post(
        reverse("admin:microprojets_application_changelist"),
        {"action": "create_projects", "_selected_action": [application.pk, other.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "est créé en brouillon" in text and f"{other.reference} : Seul un dossier" in text
    project = Project.objects.get()
    assert project.source_application == application
    page = admin_client.get(url).content.decode()
    assert reverse("admin:contrat_ville_project_change", args=[project.pk]) in page
    admin_client.post(url, {"action": "project"})
    assert Project.objects.count() == 1


def test_an_instructor_who_cannot_open_the_catalogue_is_told_who_publishes_the_project(content, client):
    """An instructor outside « Rédaction » would get a 403 on the project's admin page: no link to it, and the
    message names the group that reviews and publishes it instead of « publiez-le depuis la page du projet »."""
    from django.contrib.auth.models import Group, Permission

    from langres_portal.core.permissions import ROLE_EDITORS, ROLE_INSTRUCTORS

    application = closed_with_photos(client)
    instructor = get_user_model().objects.create_user("claire", password="motdepasse-solide-123", is_staff=True)
    instructor.groups.add(Group.objects.get_or_create(name=ROLE_INSTRUCTORS)[0])
    client.force_login(instructor)
    url = reverse("admin:microprojets_application_followup", args=[application.pk])
    text = client.post(url, {"action": "project"}, follow=True).content.decode()
    project = Project.objects.get()
    project_url = reverse("admin:contrat_ville_project_change", args=[project.pk])
    assert client.get(project_url).status_code == 403
    assert "est créé en brouillon" in text and f"membre du groupe « {ROLE_EDITORS} »" in text
    assert "publiez-le depuis la page du projet" not in text
    assert project_url not in text and f"« {project.title} »" in text

    instructor.user_permissions.add(Permission.objects.get(codename="change_project"))
    instructor = get_user_model().objects.get(pk=instructor.pk)  # (permissions are cached on the user)
    client.force_login(instructor)
    assert project_url in client.get(url).content.decode()
