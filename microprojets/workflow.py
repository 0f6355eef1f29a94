"""The life of an application: its statuses and the moves allowed between them, in one table.

Pure: no database, no I/O. The one place a status changes is `services.moves.move()`, which locks the row, asks
`check_move()`, writes the log row and queues the e-mails once the transaction commits.
"""

from dataclasses import dataclass

from django.db import models


class Status(models.TextChoices):
    SUBMITTED = "submitted", "Reçu"
    UNDER_REVIEW = "under_review", "En instruction"
    INCOMPLETE = "incomplete", "Complément demandé"
    ON_AGENDA = "on_agenda", "Inscrit au comité"
    ACCEPTED = "accepted", "Retenu"
    REJECTED = "rejected", "Non retenu"
    POSTPONED = "postponed", "Ajourné"
    PAID = "paid", "Versé"
    REPORT_RECEIVED = "report_received", "Bilan reçu"
    CLOSED = "closed", "Clôturé"
    ABANDONED = "abandoned", "Classé sans suite"
    WITHDRAWN = "withdrawn", "Retiré"
    NOT_CARRIED_OUT = "not_carried_out", "Non réalisé"


class Actor(models.TextChoices):
    """Who may make a move: an instructor from the admin page, the committee's published decisions, the applicant
    from the tracking page."""

    STAFF = "staff", "Instructeur"
    COMMITTEE = "committee", "Comité de sélection"
    APPLICANT = "applicant", "Porteur du projet"


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    actors: frozenset
    label: str  # the button's words
    needs_reason: bool = False  # the reason is required and shown to the applicant


S, A = Status, Actor
STAFF, COMMITTEE, APPLICANT = frozenset({A.STAFF}), frozenset({A.COMMITTEE}), frozenset({A.APPLICANT})

MOVES = [
    Move(S.SUBMITTED, S.UNDER_REVIEW, STAFF, "Commencer l’instruction"),
    Move(S.UNDER_REVIEW, S.INCOMPLETE, STAFF, "Demander un complément", needs_reason=True),
    Move(S.INCOMPLETE, S.UNDER_REVIEW, STAFF | APPLICANT, "Reprendre l’instruction"),
    Move(S.UNDER_REVIEW, S.ON_AGENDA, STAFF, "Inscrire au comité"),
    Move(S.POSTPONED, S.ON_AGENDA, STAFF, "Inscrire au prochain comité"),
    Move(S.ON_AGENDA, S.UNDER_REVIEW, STAFF, "Retirer de l’ordre du jour"),
    Move(S.ON_AGENDA, S.ACCEPTED, COMMITTEE, "Retenir"),
    Move(S.ON_AGENDA, S.REJECTED, COMMITTEE, "Ne pas retenir", needs_reason=True),
    Move(S.ON_AGENDA, S.POSTPONED, COMMITTEE, "Ajourner au prochain comité"),
    Move(S.ACCEPTED, S.PAID, STAFF, "Enregistrer le versement"),
    Move(S.PAID, S.REPORT_RECEIVED, APPLICANT | STAFF, "Enregistrer le bilan"),
    Move(S.REPORT_RECEIVED, S.PAID, STAFF, "Demander un complément au bilan", needs_reason=True),
    Move(S.REPORT_RECEIVED, S.CLOSED, STAFF, "Clôturer le dossier"),
    Move(S.PAID, S.NOT_CARRIED_OUT, STAFF, "Déclarer le projet non réalisé", needs_reason=True),
    *(
        Move(source, S.ABANDONED, STAFF, "Classer sans suite", needs_reason=True)
        for source in (S.SUBMITTED, S.UNDER_REVIEW, S.INCOMPLETE, S.ON_AGENDA, S.POSTPONED, S.ACCEPTED)
    ),
    # « Before a decision »: the applicant withdraws while nothing is decided yet.
    *(
        Move(source, S.WITHDRAWN, APPLICANT, "Retirer ma demande")
        for source in (S.SUBMITTED, S.UNDER_REVIEW, S.INCOMPLETE, S.ON_AGENDA, S.POSTPONED)
    ),
]
TABLE = {(m.source, m.target): m for m in MOVES}

# Statuses in which a grant has been decided (an amount and a decision date are required: see the model's
# constraints), and those in which money has been paid.
GRANTED = frozenset({S.ACCEPTED, S.PAID, S.REPORT_RECEIVED, S.CLOSED, S.NOT_CARRIED_OUT})
PAID = frozenset({S.PAID, S.REPORT_RECEIVED, S.CLOSED, S.NOT_CARRIED_OUT})
DECIDED = GRANTED | {S.REJECTED}
FINAL = frozenset({S.CLOSED, S.REJECTED, S.ABANDONED, S.WITHDRAWN, S.NOT_CARRIED_OUT})
# Waiting for the service (not the applicant, not the committee's date): what « à traiter » lists.
WAITING_FOR_STAFF = frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.REPORT_RECEIVED})


class MoveNotAllowed(Exception):
    """A move the table does not allow from the current status, for this actor, or without its reason.

    `message` is French and says why, for the person who tried.
    """

    def __init__(self, message: str, source: str = "", target: str = ""):
        super().__init__(message)
        self.message, self.source, self.target = message, source, target


def label(status: str) -> str:
    return Status(status).label if status in Status.values else status


def can_move(source: str, target: str, actor: str | None = None) -> bool:
    """Whether the table allows source → target (for this actor, when one is given)."""
    move = TABLE.get((source, target))
    return move is not None and (actor is None or actor in move.actors)


def moves_from(source: str, actor: str | None = None) -> list[Move]:
    """The moves offered from a status, in the table's order (the order of the buttons)."""
    return [m for m in MOVES if m.source == source and (actor is None or actor in m.actors)]


def path_to(target: str, source: str = Status.SUBMITTED) -> list[Move]:
    """The shortest series of moves from `source` to `target` (demo data and tests walk it); [] if none."""
    paths, seen = {source: []}, {source}
    frontier = [source]
    while frontier:
        following = []
        for status in frontier:
            for move in moves_from(status):
                if move.target not in seen:
                    seen.add(move.target)
                    paths[move.target] = [*paths[status], move]
                    following.append(move.target)
        frontier = following
    return paths.get(target, [])


def check_move(source: str, target: str, actor: str, reason: str = "") -> Move:
    """The move, or MoveNotAllowed with a French message saying why."""
    move = TABLE.get((source, target))
    if move is None:
        raise MoveNotAllowed(
            f"Un dossier « {label(source)} » ne peut pas passer à « {label(target)} ». "
            "La page a peut-être été ouverte avant un changement : rechargez-la.",
            source,
            target,
        )
    if actor not in move.actors:
        who = " ou ".join(str(Actor(a).label).lower() for a in sorted(move.actors))
        raise MoveNotAllowed(f"Le passage à « {label(target)} » ne peut être fait que par : {who}.", source, target)
    if move.needs_reason and not reason.strip():
        raise MoveNotAllowed(
            f"Indiquez le motif du passage à « {label(target)} » : il est communiqué au porteur.", source, target
        )
    return move
