"""The e-mails microprojets sends: a sample of what each gives its template, and which values are site links.

Staff's edits of these templates are rendered with the samples before they are saved, so a sample has every
variable the code passes (services.submission, services.moves, views.public.apply):
tests/core/test_email_templates.py checks that against the real senders.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from langres_portal.core.emails import EmailSpec

SITE = "https://www.exemple.fr"
LINKS = ("tracking_url", "admin_url")


def sample_application():
    from contrat_ville.models import Pillar
    from quartiers.models import Quartier

    from .models import Application, Call

    today = timezone.localdate()
    call = Call(
        title="Appel à projets 2026",
        opens_at=timezone.now() - timedelta(days=10),
        closes_at=timezone.now() + timedelta(days=30),
        committee_date=today + timedelta(days=45),
    )
    return Application(
        pk=42,
        call=call,
        reference="MP-2026-0042",
        porteur_kind="association",
        organisation_name="Association Vivre ensemble",
        rna="W123456789",
        first_name="Camille",
        last_name="Martin",
        role="Présidente",
        email="camille@example.org",
        phone="06 12 34 56 78",
        address="3 rue des Capucines",
        title="Jardin partagé",
        summary="Des bacs de culture pour les familles du quartier.",
        description="Quatre bacs et des ateliers de jardinage.",
        objectives="Créer du lien entre voisins.",
        audience="Familles du quartier",
        participants_count=30,
        residents_count=5,
        quartier=Quartier(name="Quartier exemple", slug="quartier-exemple"),
        place="Pied des immeubles",
        starts_on=today + timedelta(days=60),
        ends_on=today + timedelta(days=90),
        pillar=Pillar(name="Cohésion sociale", slug="cohesion-sociale"),
        amount_requested=Decimal("800"),
        submitted_at=timezone.now(),
    )


def application_context():
    application = sample_application()
    return {
        "application": application,
        "reference": application.reference,
        "title": application.title,
        "call": application.call.title,
        "amount_requested": "800,00 €",
        "tracking_url": f"{SITE}/microprojets/suivi/jeton-exemple/",
        "admin_url": f"{SITE}/admin/microprojets/application/42/change/",
        "submitted_at": timezone.localtime(application.submitted_at),
        "committee_date": application.call.committee_date,
        "files": ["statuts.pdf", "devis.pdf"],
    }


def complement_context():
    return {**application_context(), "message": "Voici le devis signé.", "new_files": ["devis-signe.pdf"]}


def message_context():
    return {"reference": "MP-2026-0042", "title": "Jardin partagé", "tracking_url": f"{SITE}/microprojets/suivi/x/"}


def status_context():
    return {
        "reference": "MP-2026-0042",
        "title": "Jardin partagé",
        "status": "Complément demandé",
        "comment": "Merci d’envoyer le devis du matériel.",
        "tracking_url": f"{SITE}/microprojets/suivi/x/",
    }


def committee_decision_context():
    return {
        "reference": "MP-2026-0042",
        "title": "Jardin partagé",
        "status": "Retenu",
        "decision": "accept",
        "amount_granted": "300,00 €",
        "reason": "",
        "committee_date": timezone.localdate(),
        "tracking_url": f"{SITE}/microprojets/suivi/x/",
    }


def withdrawn_context():
    return {
        "reference": "MP-2026-0042",
        "title": "Jardin partagé",
        "reason": "Le projet se fera l’an prochain.",
        "admin_url": f"{SITE}/admin/microprojets/application/42/change/",
    }


def resend_context():
    links = [{"reference": "MP-2026-0042", "title": "Jardin partagé", "url": f"{SITE}/microprojets/suivi/x/"}]
    drafts = [f"{SITE}/microprojets/brouillon/jeton-exemple/"]
    return {"links": links, "drafts": drafts, "count": len(links) + len(drafts)}


def draft_context():
    return {
        "resume_url": f"{SITE}/microprojets/brouillon/jeton-exemple/",
        "call": "Appel à projets 2026",
        "closes_at": timezone.localtime() + timedelta(days=30),
    }


def report_received_context():
    return {**application_context(), "people_reached": 45, "receipts_count": 3, "photos_count": 2, "sent_count": 1}


def report_reminder_context():
    return {
        "reference": "MP-2026-0042",
        "title": "Jardin partagé",
        "ends_on": timezone.localdate() - timedelta(days=31),
        "occasion": 1,
        "tracking_url": f"{SITE}/microprojets/suivi/x/",
    }


def complement_reminder_context():
    return {
        "reference": "MP-2026-0042",
        "title": "Jardin partagé",
        "asked_on": timezone.localdate() - timedelta(days=15),
        "request": "Merci d’envoyer le devis du matériel.",
        "occasion": 1,
        "tracking_url": f"{SITE}/microprojets/suivi/x/",
    }


def deletion_reminder_context():
    return {
        "reference": "MP-2026-0042",
        "title": "Jardin partagé",
        "deleted_on": timezone.localdate() + timedelta(days=14),
        "tracking_url": f"{SITE}/microprojets/suivi/x/",
    }


EMAILS = {
    "microprojets-accuse-reception": EmailSpec(application_context, LINKS),
    "microprojets-nouveau-dossier": EmailSpec(application_context, LINKS),
    "microprojets-complement": EmailSpec(complement_context, LINKS),
    "microprojets-message-du-service": EmailSpec(message_context, ("tracking_url",)),
    "microprojets-changement-statut": EmailSpec(status_context, ("tracking_url",)),
    "microprojets-decision-comite": EmailSpec(committee_decision_context, ("tracking_url",)),
    "microprojets-renvoi-liens": EmailSpec(resend_context, ("links.url", "drafts")),
    "microprojets-lien-brouillon": EmailSpec(draft_context, ("resume_url",)),
    "microprojets-dossier-retire": EmailSpec(withdrawn_context, ("admin_url",)),
    "microprojets-bilan-recu": EmailSpec(report_received_context, LINKS),
    "microprojets-rappel-bilan": EmailSpec(report_reminder_context, ("tracking_url",)),
    "microprojets-rappel-complement": EmailSpec(complement_reminder_context, ("tracking_url",)),
    "microprojets-rappel-brouillon": EmailSpec(draft_context, ("resume_url",)),
    "microprojets-rappel-suppression": EmailSpec(deletion_reminder_context, ("tracking_url",)),
}
