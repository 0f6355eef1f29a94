from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from contrat_ville.models import Pillar
from microprojets import workflow
from microprojets.demo import reach
from microprojets.models import AgendaItem, Application, Attachment, Call, CommitteeMember, CommitteeSession, Vote
from microprojets.services.moves import record_submission
from quartiers.models import Quartier


def make_pdf() -> bytes:
    """A real one-page PDF: the form reads files with pypdf, a few bytes after « %PDF- » are not enough."""
    from pypdf import PdfWriter

    writer, buffer = PdfWriter(), BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    return buffer.getvalue()


PDF_BYTES = make_pdf()


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    title = factory.Sequence(lambda n: f"Appel à projets {n}")
    text = "<p>Déposez vos projets.</p>"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    envelope = Decimal("15000")
    max_amount = Decimal("1500")
    committee_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=45))

    class Params:
        closed = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=60)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
        )
        upcoming = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=10)),
            closes_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=40)),
        )


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    reference = factory.Sequence(lambda n: f"MP-2026-{n + 1:04d}")
    source_token = factory.Sequence(lambda n: f"source-{n}")
    porteur_kind = "association"
    organisation_name = "Association Vivre ensemble"
    rna = "W522001234"
    first_name = "Camille"
    last_name = "Martin"
    role = "Présidente"
    email = "camille@example.org"
    phone = "06 12 34 56 78"
    address = "3 rue des Tulipes, 52200 Langres"
    title = "Jardin partagé"
    summary = "Des bacs de culture pour les familles."
    description = "Quatre bacs et des ateliers."
    objectives = "Créer du lien."
    audience = "Familles"
    participants_count = 30
    place = "Pied des immeubles"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))
    amount_requested = Decimal("800")

    @classmethod
    def _create(cls, model_class, *args, status=Application.Status.SUBMITTED, **kwargs):
        """Received, then walked to `status` through the real moves: status, log, timeline and amounts agree."""
        application = super()._create(model_class, *args, **kwargs)
        record_submission(application, application.submitted_at)
        if status != Application.Status.SUBMITTED:
            application = reach(application, status)
        return application


# Words with no space a phone cannot break by itself: a long e-mail, an organisation, a file name, a URL.
LONG_WORD = "Associationdeshabitantsdesquartiersneufsetdelavilleentiere" * 2


def long_application(call):
    """An application whose values have long words: what a 320 px screen must still show."""
    call.title = "Appel-à-projets-" + "microprojets-" * 8
    call.save()
    application = ApplicationFactory(
        call=call,
        status=Application.Status.INCOMPLETE,
        organisation_name=LONG_WORD,
        title="Projet" + "x" * 140,
        email="prenom.nom.tres.long." + "a" * 60 + "@association-des-habitants-des-quartiers-neufs.example.org",
        reference="MP-2026-0001",
    )
    application.events.create(
        status="incomplete",
        message="Merci d’envoyer le devis : https://www.example.org/" + "dossier/" * 20 + "devis-" * 10 + ".pdf",
    )
    attachment = Attachment(
        application=application,
        kind=Attachment.Kind.STATUTES,
        original_name="statuts_" + "signes_par_le_bureau_" * 10 + ".pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
    )
    attachment.file.save("piece", ContentFile(PDF_BYTES), save=True)
    return application


# --- Selection committee -----------------------------------------------------------------------------------------


class CommitteeSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeSession
        skip_postgeneration_save = True

    date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=20))
    place = "Maison de quartier"

    @factory.post_generation
    def calls(self, create, extracted, **kwargs):
        if create and extracted:
            self.calls.set(extracted)


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    session = factory.SubFactory(CommitteeSessionFactory)
    name = factory.Sequence(lambda n: f"Membre {n + 1}")
    role = CommitteeMember.Role.HABITANT
    present = True


def committee(call, *, present=3, absent=0, names=None):
    """A session examining `call`, with `present` members present and `absent` absent."""
    session = CommitteeSessionFactory(calls=[call])
    names = list(names or [])
    for i in range(present + absent):
        name = names[i] if i < len(names) else f"Membre {i + 1}"
        CommitteeMemberFactory(session=session, name=name, present=i < present)
    return session


def make_image(fmt="JPEG", size=(64, 48), colour="green") -> bytes:
    """A real small photo (JPEG or PNG), readable by the form's checks and by the catalogue's renditions."""
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt)
    return buffer.getvalue()


def paid_application(**kwargs):
    """An application granted its amount requested and paid in full (« Versé »)."""
    return ApplicationFactory(status=Application.Status.PAID, **kwargs)


# --- Many rows at once (query-count tests, make bench) -----------------------------------------------------------


def bulk_applications(call, start, count, session=None, agenda_every=10):
    """`count` applications from number `start`, made by bulk_create (no moves, no log rows: fast), in a mix of
    statuses whose amounts and dates obey the model's constraints; every `agenda_every`-th is on the session's
    agenda, with a vote of each of its members."""
    S, now = Application.Status, timezone.now()
    quartiers, pillars = list(Quartier.objects.all()), list(Pillar.objects.all())
    statuses = [S.SUBMITTED, S.UNDER_REVIEW, S.INCOMPLETE, S.ACCEPTED, S.PAID, S.REJECTED]
    rows = []
    for i in range(start, start + count):
        status = S.ON_AGENDA if session and i % agenda_every == 0 else statuses[i % len(statuses)]
        granted = Decimal("500") if status in workflow.GRANTED else None
        rows.append(
            Application(
                call=call,
                reference=f"MP-2026-{i + 1:05d}",
                source_token=f"bulk-{i}",
                status=status,
                porteur_kind="association",
                organisation_name=f"Association {i % 40}",
                first_name="Camille",
                last_name=f"Martin{i}",
                role="Présidente",
                email=f"porteur{i}@example.org",
                phone="06 12 34 56 78",
                address="3 rue des Tulipes",
                title=f"Projet {i}",
                summary="Résumé.",
                description="Description.",
                objectives="Objectifs.",
                audience="Familles",
                participants_count=20,
                quartier=quartiers[i % len(quartiers)],
                pillar=pillars[i % len(pillars)],
                place="Quartier",
                starts_on=now.date(),
                ends_on=now.date() + timedelta(days=30),
                amount_requested=Decimal("800"),
                amount_granted=granted,
                amount_paid=Decimal("500") if status == S.PAID else Decimal("0"),
                decided_at=now if status in workflow.DECIDED else None,
                status_changed_at=now - timedelta(days=i % 90),
                submitted_at=now - timedelta(days=i % 400),
            )
        )
    applications = Application.objects.bulk_create(rows)
    if session is not None:
        members = list(session.members.all())
        items = AgendaItem.objects.bulk_create(
            AgendaItem(session=session, application=a, order=k)
            for k, a in enumerate(a for a in applications if a.status == S.ON_AGENDA)
        )
        Vote.objects.bulk_create(Vote(item=item, member=m, choice=Vote.Choice.FOR) for item in items for m in members)
    return applications
