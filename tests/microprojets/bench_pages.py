"""Staff pages of the microprojets timed by tests/bench.py: `rows` applications in one call, and a committee
session with an agenda of 50 of them (each voted on by its members)."""

from decimal import Decimal

from django.urls import reverse

from microprojets.models import CommitteeSession

from .factories import CallFactory, bulk_applications, committee

AGENDA = 50


def populate(rows):
    call = CallFactory(title="Appel de démonstration (banc d’essai)", envelope=Decimal(1000 * rows))
    session = committee(call, present=5, absent=1)
    bulk_applications(call, 0, rows, session, agenda_every=max(1, rows // AGENDA))


def pages():
    return []  # the public pages of the microprojets are timed by their own tests


def staff_pages():
    session = CommitteeSession.objects.order_by("pk").last()
    changelist = reverse("admin:microprojets_application_changelist")
    return [
        ("Administration : liste des dossiers", changelist),
        ("Administration : liste filtrée et cherchée", f"{changelist}?status__exact=under_review&q=association"),
        ("Administration : accueil (tableau de bord)", reverse("admin:index")),
        (
            "Administration : séance du comité (ordre du jour)",
            reverse("admin:microprojets_committeesession_session", args=[session.pk]),
        ),
    ]
