"""Example calls and applications for a demonstration site (generate_demo_data), all marked as examples."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from . import workflow
from .models import Application, BudgetLine, Call, PorteurKind
from .services.moves import move, record_submission
from .services.submission import next_reference

PROJECTS = [
    (
        "Jardin partagé au pied des immeubles",
        "Créer quatre bacs de culture et des ateliers de jardinage pour les familles.",
    ),
    ("Fête de quartier de l’été", "Une après-midi de jeux, de musique et un repas partagé préparé par les habitants."),
    ("Atelier vélo solidaire", "Réparer ensemble les vélos des habitants et apprendre à les entretenir."),
    ("Sorties familles au musée", "Trois sorties culturelles pour des familles qui ne partent pas en vacances."),
    ("Tournoi de football inter-quartiers", "Un tournoi pour les 11-15 ans, arbitré par des jeunes formés."),
    ("Boîte à livres et lectures contées", "Installer une boîte à livres et organiser des lectures pour les enfants."),
    ("Repair café mensuel", "Un samedi par mois, des bénévoles aident à réparer le petit électroménager."),
    ("Fresque participative", "Peindre avec les habitants une fresque sur le mur du local associatif."),
]
ORGANISATIONS = [
    (PorteurKind.ASSOCIATION, "Association Vivre ensemble (exemple)"),
    (PorteurKind.COLLECTIF, "Collectif des habitants des Capucines (exemple)"),
    (PorteurKind.ASSOCIATION, "Les Amis du quartier (exemple)"),
    (PorteurKind.HABITANT, "Centre social (exemple)"),
]


def generate(applications=12, seed=2017, **options) -> str:
    from contrat_ville.models import Pillar
    from langres_portal.core.models import SiteIdentity
    from quartiers.models import Quartier

    if Call.objects.filter(is_example=True).exists():
        return "Microprojets : données d’exemple déjà présentes."
    rng = random.Random(seed)
    site = SiteIdentity.current()  # the commune comes from the data, not from code
    now = timezone.now()
    common = {"envelope": Decimal("15000"), "max_amount": Decimal("1500"), "is_example": True}
    past = Call.objects.create(
        title=f"Appel à projets {now.year - 1} (exemple)",
        text="<p>Appel à projets de l’an dernier, clos.</p>",
        opens_at=now - timedelta(days=400),
        closes_at=now - timedelta(days=300),
        committee_date=(now - timedelta(days=290)).date(),
        **common,
    )
    current = Call.objects.create(
        title=f"Appel à projets {now.year} (exemple)",
        text="<p>Déposez votre projet pour votre quartier.</p>",
        eligibility="<p>Associations loi 1901 et collectifs d’habitants, pour des projets au bénéfice des "
        "habitants du quartier prioritaire ou d’un quartier en veille active.</p>",
        opens_at=now - timedelta(days=20),
        closes_at=now + timedelta(days=40),
        committee_date=(now + timedelta(days=55)).date(),
        **common,
    )
    quartiers = list(Quartier.objects.all()) or [None]
    pillars = list(Pillar.objects.all()) or [None]
    statuses = list(Application.Status)
    for i in range(applications):
        call = past if i % 3 == 0 else current
        status = statuses[i % len(statuses)] if call == past else statuses[i % 3]
        title, summary = PROJECTS[i % len(PROJECTS)]
        kind, organisation = ORGANISATIONS[i % len(ORGANISATIONS)]
        submitted = call.opens_at + timedelta(days=rng.randint(1, 15))
        amount = Decimal(rng.randrange(200, 1500, 50))
        starts = (call.closes_at + timedelta(days=rng.randint(30, 90))).date()
        application = Application.objects.create(
            call=call,
            reference=next_reference(timezone.localtime(submitted).year),
            source_token=f"demo-{seed}-{i}",
            porteur_kind=kind,
            organisation_name=organisation,
            rna="W000000000" if kind == PorteurKind.ASSOCIATION else "",
            residents_count=6 if kind == PorteurKind.COLLECTIF else None,
            first_name="Camille",
            last_name=f"Exemple {i + 1}",
            role="Présidente",
            email=f"exemple{i + 1}@example.org",
            phone="01 99 00 00 00",
            address=f"1 rue de l’Exemple, {site.postcode} {site.city}".strip(" ,"),
            title=title,
            summary=summary,
            description=summary,
            objectives="Créer du lien entre les habitants.",
            audience="Habitants du quartier",
            participants_count=rng.randint(10, 80),
            quartier=quartiers[i % len(quartiers)],
            place="Quartier",
            starts_on=starts,
            ends_on=starts + timedelta(days=rng.randint(0, 60)),
            pillar=pillars[i % len(pillars)],
            amount_requested=amount,
            submitted_at=submitted,
            is_example=True,
        )
        other = Decimal(rng.randrange(0, 500, 50))
        lines = [
            BudgetLine(application=application, kind=BudgetLine.Kind.EXPENSE, label="Matériel", amount=amount + other)
        ]
        if other:
            lines.append(
                BudgetLine(
                    application=application,
                    kind=BudgetLine.Kind.RESOURCE,
                    label="Apport de l’association",
                    amount=other,
                )
            )
        BudgetLine.objects.bulk_create(lines)
        record_submission(application, submitted)
        # Never in the future (the tracking page's timeline), and the service says what it asks for.
        reach(application, status, when=min(submitted + timedelta(days=10), now - timedelta(hours=1)))
    return f"Microprojets : 2 appels et {applications} dossiers d’exemple."


EXAMPLE_REASONS = {
    workflow.Status.INCOMPLETE: "Exemple : merci d’envoyer le devis du matériel.",
    workflow.Status.REJECTED: "Exemple : le projet ne bénéficie pas aux habitants d’un quartier concerné.",
    workflow.Status.ABANDONED: "Exemple : le porteur n’a pas répondu aux demandes du service.",
    workflow.Status.NOT_CARRIED_OUT: "Exemple : le projet n’a pas pu avoir lieu.",
    workflow.Status.PAID: "Exemple : merci de joindre les factures au bilan.",
}


def reach(application, target, *, when=None, by=None):
    """Walk an application from « Reçu » to `target` through the real moves (demo data and tests): its status,
    log, timeline, amounts and dates agree as if staff, the committee and the applicant had done it."""
    for step in workflow.path_to(target, application.status):
        actor = next(
            a for a in (workflow.Actor.STAFF, workflow.Actor.COMMITTEE, workflow.Actor.APPLICANT) if a in step.actors
        )
        updates = {}
        if step.target == workflow.Status.ACCEPTED:
            updates["amount_granted"] = application.amount_requested
        if step.target == workflow.Status.PAID and not application.amount_paid:
            updates["amount_paid"] = application.amount_granted or application.amount_requested
        comment = (
            EXAMPLE_REASONS.get(step.target, "")
            if step.needs_reason or step.target == workflow.Status.INCOMPLETE
            else ""
        )
        application = move(
            application_id=application.pk,
            target=step.target,
            actor=actor,
            by=by if actor == workflow.Actor.STAFF else None,
            comment=comment or ("Exemple." if step.needs_reason else ""),
            updates=updates,
            notify=False,
            now=when,
        ).application
    return application
