"""A closed microproject becomes a draft project of the contrat de ville's catalogue, so the catalogue grows from
real work: its title, pillar, neighbourhood, years, summary, figures, and only the photos the applicant allowed the
Ville to publish (copied as the catalogue's own renditions: re-encoded, no metadata)."""

import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify

from contrat_ville.images import make_renditions
from contrat_ville.models import Pillar, Project, ProjectPhoto

from .. import workflow
from ..models import Application, PorteurKind, ReportPhoto

logger = logging.getLogger(__name__)

PORTEUR_KINDS = {
    PorteurKind.ASSOCIATION: Project.PorteurKind.ASSOCIATION,
    PorteurKind.COLLECTIF: Project.PorteurKind.RESIDENTS,
    PorteurKind.HABITANT: Project.PorteurKind.RESIDENTS,
}


class ProjectRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class ProjectMade:
    project: Project
    photos: int
    skipped_photos: int  # allowed but not (yet) scanned clean, or unreadable as a photo
    pillar_guessed: bool


def unique_slug(application: Application) -> str:
    base = f"{slugify(application.title)[:150]}-{application.reference.lower()}".strip("-")
    slug, n = base, 2
    while Project.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_project(*, application_id: int) -> ProjectMade:
    """The draft (unpublished) project of a closed application, linked both ways; raises ProjectRefused."""
    written = []
    try:
        with transaction.atomic():
            application = (
                Application.objects.select_for_update(of=("self",))
                .select_related("quartier", "pillar")
                .get(pk=application_id)
            )
            if application.status != workflow.Status.CLOSED:
                raise ProjectRefused(
                    f"Seul un dossier « Clôturé » devient un projet du catalogue ; ce dossier est « "
                    f"{application.get_status_display()} »."
                )
            if application.anonymised_at is not None:
                raise ProjectRefused("Ce dossier a été anonymisé : il ne peut plus devenir un projet.")
            existing = Project.objects.filter(source_application=application).first()
            if existing is not None:
                raise ProjectRefused(f"Le projet « {existing.title} » a déjà été créé à partir de ce dossier.")
            pillar = application.pillar or Pillar.objects.order_by("order", "pk").first()
            if pillar is None:
                raise ProjectRefused("Créez d’abord un pilier du contrat de ville : un projet en a un.")
            report = getattr(application, "report", None)
            years = (application.starts_on.year, application.ends_on.year)
            project = Project.objects.create(
                title=application.title[:200],
                slug=unique_slug(application),
                year_start=years[0],
                year_end=years[1] if years[1] != years[0] else None,
                pillar=pillar,
                porteur_name=application.organisation_name,
                porteur_kind=PORTEUR_KINDS.get(application.porteur_kind, Project.PorteurKind.OTHER),
                summary=application.summary[:400],
                participants=report.people_reached if report else application.participants_count,
                funding=int(application.amount_paid) or None,
                is_published=False,
                source_application=application,
            )
            if application.quartier_id:
                project.quartiers.add(application.quartier)
            photos, skipped = 0, 0
            allowed = ReportPhoto.objects.filter(report__application=application, may_publish=True).select_related(
                "attachment"
            )
            for order, photo in enumerate(allowed):
                if not photo.attachment.is_downloadable:
                    skipped += 1
                    continue
                with photo.attachment.file.open("rb") as stored:
                    content = ContentFile(stored.read(), name=photo.attachment.file.name)
                try:
                    renditions = make_renditions(content)
                except Exception:  # noqa: BLE001 - any unreadable photo is skipped, and said so
                    logger.exception("Photo %s du dossier %s illisible", photo.pk, application.reference)
                    skipped += 1
                    continue
                copy = ProjectPhoto(
                    project=project, alt=photo.alt, order=order, small=renditions.small, large=renditions.large
                )
                copy.save()  # the files are written by the save (upload_to of the catalogue's photos)
                written += [(copy.large.storage, copy.large.name), (copy.small.storage, copy.small.name)]
                photos += 1
    except BaseException:
        for storage, name in written:  # a rollback keeps no copied photo on disk
            storage.delete(name)
        raise
    return ProjectMade(project, photos, skipped, application.pillar_id is None)
