"""The selection committee's writes: the agenda, the votes, the proposed decisions, and their publication.

Rules (issue 10, item 3): only a present member of the session votes, once per application; a member who declares
a conflict of interest on an application does not vote on it and does not count for its quorum; without quorum
(present members without conflict ≥ the call's quorum) no decision is recorded; the decisions are published in
one action, all or nothing: each application moves through moves.move(actor=COMMITTEE), each applicant is told
once, and a session is published only once.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.formats import date_format

from langres_portal.core.emails import queue_email
from langres_portal.core.models import SiteIdentity

from .. import workflow
from ..formats import euros
from ..models import AgendaItem, Application, Call, CommitteeMember, CommitteeSession, Vote
from . import moves

S, A = workflow.Status, workflow.Actor
DECISION_EMAIL = "microprojets-decision-comite"
# The statuses an application can be put on an agenda from (ON_AGENDA: moved there from its own admin page).
AGENDA_SOURCES = (S.UNDER_REVIEW, S.POSTPONED, S.ON_AGENDA)
DECISION_TARGETS = {
    AgendaItem.Decision.ACCEPT: S.ACCEPTED,
    AgendaItem.Decision.REFUSE: S.REJECTED,
    AgendaItem.Decision.POSTPONE: S.POSTPONED,
}


class CommitteeError(Exception):
    """A committee action refused; nothing was changed. `message` is French and says how to fix it; `field` names
    the form field it belongs to, when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


@dataclass(frozen=True)
class Quorum:
    voters: int  # present members without a declared conflict on the application
    required: int

    @property
    def reached(self) -> bool:
        return self.voters >= self.required


@dataclass(frozen=True)
class Envelope:
    call: Call
    granted_before: Decimal  # grants already decided (other sessions, published)
    proposed: Decimal  # amounts this session proposes

    @property
    def envelope(self) -> Decimal:
        return self.call.envelope

    @property
    def remaining(self) -> Decimal:
        return self.call.envelope - self.granted_before - self.proposed


def _session(session_id: int, *, lock: bool = False) -> CommitteeSession:
    queryset = CommitteeSession.objects.select_for_update() if lock else CommitteeSession.objects
    session = queryset.get(pk=session_id)
    if session.is_published:
        raise CommitteeError(
            f"Les décisions du {session} sont déjà publiées : la séance ne peut plus être modifiée. "
            "Inscrivez les dossiers ajournés à une nouvelle séance."
        )
    return session


def _mark_held(session: CommitteeSession) -> None:
    if session.status == CommitteeSession.Status.DRAFT:
        session.status = CommitteeSession.Status.HELD
        session.save(update_fields=["status", "updated_at"])


def _item(item_id: int) -> AgendaItem:
    return AgendaItem.objects.select_related("application__call", "session").get(pk=item_id)


# --- Agenda -------------------------------------------------------------------------------------------------------


def agenda_candidates(session: CommitteeSession):
    """The applications of the session's calls that can be put on its agenda: under review, postponed by an earlier
    session, or already « Inscrit au comité » without being on any agenda."""
    return (
        Application.objects.filter(call__committee_sessions=session, status__in=AGENDA_SOURCES)
        .exclude(agenda_items__active=True)
        .select_related("call")
        .order_by("reference")
    )


def add_to_agenda(*, session_id: int, application_id: int, by, request=None) -> AgendaItem:
    """Put an application on the session's agenda; it moves « Inscrit au comité » (a staff move, logged)."""
    with transaction.atomic():
        session = _session(session_id, lock=True)
        application = moves.lock(application_id)
        if not session.calls.filter(pk=application.call_id).exists():
            raise CommitteeError(
                f"Le dossier {application.reference} relève de l’appel « {application.call} », que cette séance "
                "n’examine pas : ajoutez l’appel à la séance, ou choisissez une autre séance.",
                "application",
            )
        current = application.agenda_items.filter(active=True).select_related("session").first()
        if current is not None:
            raise CommitteeError(
                f"Le dossier {application.reference} est déjà à l’ordre du jour du {current.session}.", "application"
            )
        if application.status not in AGENDA_SOURCES:
            raise CommitteeError(
                f"Le dossier {application.reference} est « {application.get_status_display()} » : seul un dossier "
                "en instruction ou ajourné peut être inscrit au comité.",
                "application",
            )
        if application.status != S.ON_AGENDA:
            comment = f"Inscrit à l’ordre du jour du {session}."
            moves.move(application_id=application.pk, target=S.ON_AGENDA, actor=A.STAFF, by=by, comment=comment,
                       request=request)  # fmt: skip
        last = session.items.order_by("-order").values_list("order", flat=True).first() or 0
        try:
            with transaction.atomic():
                return AgendaItem.objects.create(session=session, application_id=application.pk, order=last + 1)
        except IntegrityError:  # the same application put on an agenda at the same moment by someone else
            raise CommitteeError(
                f"Le dossier {application.reference} vient d’être inscrit à un ordre du jour.", "application"
            ) from None


def remove_from_agenda(*, item_id: int, by, request=None) -> None:
    """Take an application off the agenda before publication (its votes go with it); it goes back « En
    instruction » if it is still « Inscrit au comité »."""
    with transaction.atomic():
        item = _item(item_id)
        _session(item.session_id, lock=True)
        application = moves.lock(item.application_id)
        item.delete()
        if application.status == S.ON_AGENDA:
            moves.move(application_id=application.pk, target=S.UNDER_REVIEW, actor=A.STAFF, by=by,
                       comment=f"Retiré de l’ordre du jour du {item.session}.", request=request)  # fmt: skip


# --- Votes --------------------------------------------------------------------------------------------------------


def record_votes(*, item_id: int, votes: dict, by=None) -> list[Vote]:
    """Record the votes {member_id: choice} on one application, all or none (a refused one refuses them all)."""
    with transaction.atomic():
        item = _item(item_id)
        session = _session(item.session_id, lock=True)
        members = {m.pk: m for m in CommitteeMember.objects.filter(pk__in=list(votes))}
        already = set(item.votes.values_list("member_id", flat=True))
        created = []
        for member_id, choice in votes.items():
            member = members.get(member_id)
            if member is None or member.session_id != item.session_id:
                raise CommitteeError("Ce membre ne fait pas partie de cette séance : son vote n’est pas enregistré.")
            if choice not in Vote.Choice.values:
                raise CommitteeError(f"Choisissez le vote de {member.name} : pour, contre, abstention ou conflit "
                                     "d’intérêts.")  # fmt: skip
            if not member.present:
                raise CommitteeError(
                    f"{member.name} n’est pas noté(e) présent(e) : cochez sa présence dans la liste des membres "
                    "avant d’enregistrer son vote."
                )
            if member.pk in already:
                raise CommitteeError(
                    f"{member.name} a déjà voté sur le dossier {item.application.reference} (ou déclaré un conflit "
                    "d’intérêts) : un membre vote une seule fois par dossier."
                )
            created.append(
                Vote(item=item, member=member, choice=choice, by=by if by and by.is_authenticated else None)
            )
            already.add(member.pk)
        try:
            with transaction.atomic():
                for vote in created:
                    vote.save()
        except IntegrityError:  # recorded at the same moment from another page: the database keeps one
            raise CommitteeError(
                "Un de ces votes vient d’être enregistré depuis une autre page : rechargez-la."
            ) from None
        _mark_held(session)
        return created


def quorum(item: AgendaItem, members=None) -> Quorum:
    """Present members without a conflict declared on this application, against its call's quorum.

    `members` (the session's, with their votes prefetched) lets a page count every item without a query."""
    if members is None:
        members = list(item.session.members.all())
        conflicted = set(item.votes.filter(choice=Vote.Choice.CONFLICT).values_list("member_id", flat=True))
    else:
        conflicted = {v.member_id for v in item.votes.all() if v.choice == Vote.Choice.CONFLICT}
    voters = sum(1 for m in members if m.present and m.pk not in conflicted)
    return Quorum(voters, item.application.call.committee_quorum)


# --- Decisions ----------------------------------------------------------------------------------------------------


def granted_before(call_ids) -> dict:
    """Per call, the grants already decided (funded applications)."""
    rows = (
        Application.objects.funded()
        .filter(call_id__in=list(call_ids))
        .values("call_id")
        .annotate(total=Sum("amount_granted"))
    )
    return {row["call_id"]: row["total"] or Decimal(0) for row in rows}


def proposed_amounts(call_ids, exclude_item_id=None) -> dict:
    """Per call, the amounts proposed on the agendas not yet published (every session)."""
    rows = (
        AgendaItem.objects.filter(active=True, decision=AgendaItem.Decision.ACCEPT, application__call_id__in=call_ids)
        .exclude(pk=exclude_item_id)
        .values("application__call_id")
        .annotate(total=Sum("amount"))
    )
    return {row["application__call_id"]: row["total"] or Decimal(0) for row in rows}


def parse_amount(value) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, Decimal):
        return value
    try:
        amount = Decimal(str(value).replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise CommitteeError("Saisissez un montant en euros, par exemple 300 ou 300,50.", "amount") from None
    if not amount.is_finite():
        raise CommitteeError("Saisissez un montant en euros, par exemple 300 ou 300,50.", "amount")
    return amount


def check_decision(item: AgendaItem, decision: str, amount, reason: str, q: Quorum | None = None) -> None:
    """Raise CommitteeError (with its field) if this decision cannot be recorded or published."""
    application = item.application
    q = q or quorum(item)
    if not q.reached:
        raise CommitteeError(
            f"Quorum non atteint pour le dossier {application.reference} : {q.voters} membre(s) présent(s) sans "
            f"conflit d’intérêts, il en faut {q.required}. Aucune décision ne peut être enregistrée.",
            "decision",
        )
    if decision not in AgendaItem.Decision.values:
        raise CommitteeError("Choisissez la décision proposée : retenir, ne pas retenir ou ajourner.", "decision")
    if decision == AgendaItem.Decision.ACCEPT:
        if amount is None or amount <= 0:
            raise CommitteeError("Indiquez le montant accordé, supérieur à 0 €.", "amount")
        if amount != amount.quantize(Decimal("0.01")):
            raise CommitteeError("Le montant s’écrit au centime près au plus, par exemple 300,50.", "amount")
        if amount > application.amount_requested:
            raise CommitteeError(
                f"Le montant accordé ne peut pas dépasser le montant demandé ({euros(application.amount_requested)}).",
                "amount",
            )
        if amount > application.call.max_amount:
            raise CommitteeError(
                f"Le montant accordé ne peut pas dépasser le maximum de l’appel ({euros(application.call.max_amount)}"
                " par projet).",
                "amount",
            )
        call_id = application.call_id
        used = granted_before([call_id]).get(call_id, 0) + proposed_amounts([call_id], item.pk).get(call_id, 0)
        remaining = application.call.envelope - used
        if amount > remaining:
            raise CommitteeError(
                f"L’enveloppe de l’appel « {application.call} » n’a plus que {euros(max(remaining, 0))} disponibles "
                "(décisions déjà prises et proposées comprises).",
                "amount",
            )
    elif amount is not None:
        raise CommitteeError("Un montant ne s’indique que pour un dossier retenu.", "amount")
    if decision == AgendaItem.Decision.REFUSE and not reason.strip():
        raise CommitteeError("Indiquez le motif du refus : il est communiqué au porteur.", "reason")


def record_decision(*, item_id: int, decision: str, amount=None, reason: str = "", by=None, now=None) -> AgendaItem:
    """The decision the committee proposes for one application (recorded again if it changes before publication)."""
    reason = (reason or "").strip()
    amount = parse_amount(amount)
    with transaction.atomic():
        item = _item(item_id)
        session = _session(item.session_id, lock=True)
        check_decision(item, decision, amount, reason)
        item.decision, item.amount, item.reason = decision, amount, reason
        item.decided_at, item.decided_by = now or timezone.now(), by if by and by.is_authenticated else None
        item.save(update_fields=["decision", "amount", "reason", "decided_at", "decided_by", "updated_at"])
        _mark_held(session)
        return item


# --- Publication --------------------------------------------------------------------------------------------------


def move_comment(item: AgendaItem, session: CommitteeSession) -> str:
    when = date_format(session.date, "j F Y")
    if item.decision == AgendaItem.Decision.ACCEPT:
        return f"Le comité de sélection du {when} a retenu le projet : {euros(item.amount)} accordés."
    if item.decision == AgendaItem.Decision.REFUSE:
        return item.reason
    return item.reason or f"Le comité de sélection du {when} a ajourné l’examen du projet au prochain comité."


def publish(*, session_id: int, by, request=None, now=None) -> list[AgendaItem]:
    """Publish every decision of the session at once: all the applications move and their applicants are told, or
    nothing happens (one transaction; a move refused for one application refuses the publication)."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _session(session_id, lock=True)
        items = list(
            session.items.filter(active=True)
            .select_related("application__call")
            .prefetch_related("votes")
            .order_by("order", "pk")
        )
        if not items:
            raise CommitteeError("L’ordre du jour est vide : il n’y a aucune décision à publier.")
        undecided = [i.application.reference for i in items if not i.decision]
        if undecided:
            raise CommitteeError(
                "Enregistrez d’abord la décision proposée pour chaque dossier. Sans décision : "
                + ", ".join(undecided)
                + "."
            )
        members = list(session.members.all())
        for item in items:
            # Presence may have changed since the decision was recorded: the quorum is checked again.
            check_decision(item, item.decision, item.amount, item.reason, quorum(item, members))
        site = SiteIdentity.current()
        for item in items:
            target = DECISION_TARGETS[item.decision]
            updates = {"amount_granted": item.amount} if target == S.ACCEPTED else {}
            try:
                moved = moves.move(
                    application_id=item.application_id,
                    target=target,
                    actor=A.COMMITTEE,
                    by=by,
                    comment=move_comment(item, session),
                    updates=updates,
                    notify=False,  # one e-mail per applicant, the committee's, below
                    request=request,
                    now=now,
                )
            except workflow.MoveNotAllowed as error:
                raise CommitteeError(
                    f"Dossier {item.application.reference} : {error.message} Rien n’a été publié : retirez-le de "
                    "l’ordre du jour ou corrigez-le, puis publiez à nouveau."
                ) from None
            notify_decision(moved.application, item, session, site, request)
        AgendaItem.objects.filter(pk__in=[i.pk for i in items]).update(active=False, updated_at=now)
        session.status, session.published_at, session.published_by = CommitteeSession.Status.PUBLISHED, now, by
        session.save(update_fields=["status", "published_at", "published_by", "updated_at"])
        return items


def notify_decision(application: Application, item: AgendaItem, session, site, request=None) -> None:
    """The applicant's one e-mail for the committee's decision, in the outbox (the publication's transaction)."""
    queue_email(
        key=DECISION_EMAIL,
        to=[application.email],
        reply_to=[site.email] if site.email else None,
        context={
            "reference": application.reference,
            "title": application.title,
            "status": application.get_status_display(),
            "decision": item.decision,
            "amount_granted": euros(item.amount) if item.amount else "",
            "reason": item.reason,
            "committee_date": session.date,
            "tracking_url": moves.site_url(request, application.get_tracking_url()),
        },
    )


# --- Reading ------------------------------------------------------------------------------------------------------


def envelopes(session: CommitteeSession, items) -> list[Envelope]:
    """Per call of the session: the envelope, what was granted before, what this session proposes (or granted)."""
    calls = list(session.calls.all())
    ids = [c.pk for c in calls]
    proposed = {}
    for item in items:
        if item.decision == AgendaItem.Decision.ACCEPT:
            call_id = item.application.call_id
            proposed[call_id] = proposed.get(call_id, Decimal(0)) + item.amount
    before = granted_before(ids)
    if session.is_published:  # this session's grants are now among the funded ones
        own = {
            row["application__call_id"]: row["total"]
            for row in session.items.filter(
                decision=AgendaItem.Decision.ACCEPT, application__in=Application.objects.funded()
            )
            .values("application__call_id")
            .annotate(total=Sum("application__amount_granted"))
        }
        before = {k: v - (own.get(k) or 0) for k, v in before.items()}
    return [Envelope(c, before.get(c.pk, Decimal(0)), proposed.get(c.pk, Decimal(0))) for c in calls]


def next_committee_date(call=None, today=None):
    """The date of the next session (of this call, when one is given) whose decisions are not published yet; else
    the call's own « prochain comité » date (kept for calls without a session), when it is still to come."""
    today = today or timezone.localdate()
    sessions = CommitteeSession.objects.upcoming(today)
    if call is not None:
        sessions = sessions.filter(calls=call)
    date = sessions.values_list("date", flat=True).first()
    if date is not None:
        return date
    calls = Call.objects.filter(committee_date__gte=today)
    if call is not None:
        calls = calls.filter(pk=call.pk)
    return calls.order_by("committee_date").values_list("committee_date", flat=True).first()


def with_committee_dates(queryset, today=None):
    """Applications annotated with their agenda's session date and their call's next session date (no query more
    per application: committee_date_for reads them)."""
    today = today or timezone.localdate()
    agenda = AgendaItem.objects.filter(application=OuterRef("pk"), active=True).values("session__date")[:1]
    upcoming = CommitteeSession.objects.upcoming(today).filter(calls=OuterRef("call_id")).values("date")[:1]
    return queryset.annotate(agenda_session_date=Subquery(agenda), next_session_date=Subquery(upcoming))


def committee_date_for(application: Application, today=None):
    """The committee date an applicant is told: their agenda's session, else the next one of their call, else the
    call's own date; none once the application is decided or closed."""
    if application.status in workflow.DECIDED | workflow.FINAL:
        return None
    if not hasattr(application, "agenda_session_date"):
        application = with_committee_dates(Application.objects.filter(pk=application.pk), today).get()
    if application.agenda_session_date or application.next_session_date:
        return application.agenda_session_date or application.next_session_date
    date = application.call.committee_date
    return date if date and date >= (today or timezone.localdate()) else None
