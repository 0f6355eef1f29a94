"""The selection committee's rules (services.committee): agenda, votes, quorum, decisions, publication."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from langres_portal.core.models import OutboxEmail
from microprojets import workflow
from microprojets.models import AgendaItem, Application, CommitteeSession, StatusChange, Vote
from microprojets.services import committee as services
from microprojets.services import moves

from .factories import ApplicationFactory, CallFactory, CommitteeMemberFactory, committee

S = workflow.Status
FOR, AGAINST, ABSTAIN, CONFLICT = Vote.Choice.FOR, Vote.Choice.AGAINST, Vote.Choice.ABSTAIN, Vote.Choice.CONFLICT
ACCEPT, REFUSE, POSTPONE = AgendaItem.Decision.ACCEPT, AgendaItem.Decision.REFUSE, AgendaItem.Decision.POSTPONE

pytestmark = pytest.mark.django_db


@pytest.fixture
def instructor(django_user_model):
    return django_user_model.objects.create_superuser("instructeur", "i@example.org", "motdepasse-solide-123")


def on_agenda(session, by, **kwargs):
    call = session.calls.first()
    application = ApplicationFactory(call=call, status=S.UNDER_REVIEW, **kwargs)
    return services.add_to_agenda(session_id=session.pk, application_id=application.pk, by=by)


def vote_all(item, choice=FOR, by=None):
    members = item.session.members.filter(present=True)
    return services.record_votes(item_id=item.pk, votes={m.pk: choice for m in members}, by=by)


# --- Agenda -------------------------------------------------------------------------------------------------------


def test_putting_an_application_on_the_agenda_moves_it_on_agenda_as_a_staff_move(instructor):
    session = committee(CallFactory())
    item = on_agenda(session, instructor)
    application = Application.objects.get(pk=item.application_id)
    assert application.status == S.ON_AGENDA
    change = application.status_changes.latest("pk")
    assert (change.actor, change.by, change.to_status) == (workflow.Actor.STAFF, instructor, S.ON_AGENDA)
    assert str(session) in change.comment


def test_an_application_of_a_call_the_session_does_not_examine_is_refused(instructor):
    session = committee(CallFactory())
    other = ApplicationFactory(status=S.UNDER_REVIEW)
    with pytest.raises(services.CommitteeError, match="que cette séance n’examine pas"):
        services.add_to_agenda(session_id=session.pk, application_id=other.pk, by=instructor)
    other.refresh_from_db()
    assert other.status == S.UNDER_REVIEW and not AgendaItem.objects.exists()


@pytest.mark.parametrize("status", [S.SUBMITTED, S.INCOMPLETE, S.ACCEPTED, S.WITHDRAWN])
def test_only_an_application_under_review_or_postponed_goes_on_the_agenda(instructor, status):
    call = CallFactory()
    session = committee(call)
    application = ApplicationFactory(call=call, status=status)
    with pytest.raises(services.CommitteeError, match="seul un dossier en instruction ou ajourné"):
        services.add_to_agenda(session_id=session.pk, application_id=application.pk, by=instructor)
    assert not AgendaItem.objects.exists()


def test_an_application_is_on_one_agenda_at_a_time(instructor):
    call = CallFactory()
    first, second = committee(call), committee(call)
    item = on_agenda(first, instructor)
    with pytest.raises(services.CommitteeError, match="déjà à l’ordre du jour"):
        services.add_to_agenda(session_id=second.pk, application_id=item.application_id, by=instructor)
    # The database says so too, whoever writes the row.
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(session=second, application_id=item.application_id)


def test_removing_from_the_agenda_sends_the_application_back_under_review(instructor):
    session = committee(CallFactory())
    item = on_agenda(session, instructor)
    vote_all(item)
    services.remove_from_agenda(item_id=item.pk, by=instructor)
    assert Application.objects.get(pk=item.application_id).status == S.UNDER_REVIEW
    assert not AgendaItem.objects.exists() and not Vote.objects.exists()


# --- Votes --------------------------------------------------------------------------------------------------------


def test_present_members_vote_once_each(instructor):
    session = committee(CallFactory())
    item = on_agenda(session, instructor)
    votes = vote_all(item, by=instructor)
    assert len(votes) == 3 and {v.choice for v in votes} == {FOR}
    session.refresh_from_db()
    assert session.status == CommitteeSession.Status.HELD


def test_a_vote_from_someone_not_in_the_session_is_refused(instructor):
    call = CallFactory()
    session, other = committee(call), committee(call)
    item = on_agenda(session, instructor)
    outsider = other.members.first()
    with pytest.raises(services.CommitteeError, match="ne fait pas partie de cette séance"):
        services.record_votes(item_id=item.pk, votes={outsider.pk: FOR})
    assert not Vote.objects.exists()


def test_a_vote_from_an_absent_member_is_refused(instructor):
    session = committee(CallFactory(), present=3, absent=1)
    item = on_agenda(session, instructor)
    absent = session.members.get(present=False)
    with pytest.raises(services.CommitteeError, match="n’est pas noté\\(e\\) présent"):
        services.record_votes(item_id=item.pk, votes={absent.pk: FOR})
    assert not Vote.objects.exists()


def test_a_second_vote_is_refused_and_the_first_is_kept(instructor):
    session = committee(CallFactory())
    item = on_agenda(session, instructor)
    member = session.members.first()
    services.record_votes(item_id=item.pk, votes={member.pk: FOR})
    with pytest.raises(services.CommitteeError, match="a déjà voté"):
        services.record_votes(item_id=item.pk, votes={member.pk: AGAINST})
    assert list(Vote.objects.values_list("choice", flat=True)) == [FOR]
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses it too
        Vote.objects.create(item=item, member=member, choice=AGAINST)


def test_a_member_who_declared_a_conflict_of_interest_cannot_vote_on_it(instructor):
    session = committee(CallFactory())
    item = on_agenda(session, instructor)
    member = session.members.first()
    services.record_votes(item_id=item.pk, votes={member.pk: CONFLICT})
    with pytest.raises(services.CommitteeError, match="a déjà voté sur le dossier .* \\(ou déclaré un conflit"):
        services.record_votes(item_id=item.pk, votes={member.pk: FOR})
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(item=item, member=member, choice=FOR)
    assert list(Vote.objects.values_list("choice", flat=True)) == [CONFLICT]


def test_votes_are_recorded_all_or_none(instructor):
    session = committee(CallFactory(), present=2, absent=1)
    item = on_agenda(session, instructor)
    present = list(session.members.filter(present=True))
    absent = session.members.get(present=False)
    with pytest.raises(services.CommitteeError):
        services.record_votes(item_id=item.pk, votes={present[0].pk: FOR, absent.pk: FOR, present[1].pk: FOR})
    assert not Vote.objects.exists()


def test_an_unknown_vote_is_refused(instructor):
    session = committee(CallFactory())
    item = on_agenda(session, instructor)
    with pytest.raises(services.CommitteeError, match="pour, contre, abstention ou conflit"):
        services.record_votes(item_id=item.pk, votes={session.members.first().pk: "peut-être"})
    assert not Vote.objects.exists()


# --- Quorum and decisions -----------------------------------------------------------------------------------------


def test_the_quorum_of_a_new_call_comes_from_the_setting(settings):
    settings.COMMITTEE_DEFAULT_QUORUM = 5
    assert CallFactory().committee_quorum == 5
    with pytest.raises(IntegrityError), transaction.atomic():
        CallFactory(committee_quorum=0)


def test_without_quorum_no_decision_is_recorded(instructor):
    session = committee(CallFactory(committee_quorum=3), present=2, absent=2)
    item = on_agenda(session, instructor)
    vote_all(item)
    with pytest.raises(services.CommitteeError, match="Quorum non atteint .* 2 membre\\(s\\) .* il en faut 3"):
        services.record_decision(item_id=item.pk, decision=ACCEPT, amount="300", by=instructor)
    item.refresh_from_db()
    assert item.decision == "" and item.amount is None


def test_a_member_with_a_conflict_does_not_count_for_the_quorum(instructor):
    session = committee(CallFactory(committee_quorum=3), present=3)
    item = on_agenda(session, instructor)
    member = session.members.first()
    services.record_votes(item_id=item.pk, votes={member.pk: CONFLICT})
    assert services.quorum(item) == services.Quorum(voters=2, required=3)
    with pytest.raises(services.CommitteeError, match="Quorum non atteint"):
        services.record_decision(item_id=item.pk, decision=REFUSE, reason="Hors sujet", by=instructor)
    CommitteeMemberFactory(session=session, name="Suppléante", present=True)
    services.record_decision(item_id=item.pk, decision=REFUSE, reason="Hors sujet", by=instructor)


def test_quorum_reached_records_the_decision(instructor):
    session = committee(CallFactory())
    item = on_agenda(session, instructor, amount_requested=Decimal("800"))
    vote_all(item)
    item = services.record_decision(item_id=item.pk, decision=ACCEPT, amount="300", by=instructor)
    assert (item.decision, item.amount, item.decided_by) == (ACCEPT, Decimal("300"), instructor)
    # Changed before publication: the latest one counts.
    item = services.record_decision(item_id=item.pk, decision=POSTPONE, by=instructor)
    assert (item.decision, item.amount) == (POSTPONE, None)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("900", "ne peut pas dépasser le montant demandé \\(800,00 €\\)"),
        ("600", "ne peut pas dépasser le maximum de l’appel \\(500,00 € par projet\\)"),
        ("0", "supérieur à 0 €"),
        ("-5", "supérieur à 0 €"),
        ("", "Indiquez le montant accordé"),
        ("trois cents", "Saisissez un montant en euros"),
        ("300,555", "au centime près"),
        ("NaN", "Saisissez un montant en euros"),
    ],
)
def test_an_amount_outside_the_rules_is_refused(instructor, amount, message):
    call = CallFactory(max_amount=Decimal("500"))
    session = committee(call)
    item = on_agenda(session, instructor, amount_requested=Decimal("800"))
    with pytest.raises(services.CommitteeError, match=message) as error:
        services.record_decision(item_id=item.pk, decision=ACCEPT, amount=amount, by=instructor)
    assert error.value.field == "amount"
    item.refresh_from_db()
    assert item.decision == ""


def test_a_grant_over_what_remains_of_the_envelope_is_refused(instructor):
    call = CallFactory(envelope=Decimal("1000"), max_amount=Decimal("800"))
    session = committee(call)
    first = on_agenda(session, instructor)
    second = on_agenda(session, instructor)
    services.record_decision(item_id=first.pk, decision=ACCEPT, amount="700", by=instructor)
    with pytest.raises(services.CommitteeError, match="n’a plus que 300,00 € disponibles"):
        services.record_decision(item_id=second.pk, decision=ACCEPT, amount="400", by=instructor)
    services.record_decision(item_id=second.pk, decision=ACCEPT, amount="300", by=instructor)


def test_a_refusal_needs_its_reason(instructor):
    session = committee(CallFactory())
    item = on_agenda(session, instructor)
    with pytest.raises(services.CommitteeError, match="motif du refus") as error:
        services.record_decision(item_id=item.pk, decision=REFUSE, reason="   ", by=instructor)
    assert error.value.field == "reason"
    with pytest.raises(IntegrityError), transaction.atomic():  # the database too
        AgendaItem.objects.filter(pk=item.pk).update(decision=REFUSE, reason="", decided_at=timezone.now())


def test_only_an_accepted_application_has_an_amount(instructor):
    session = committee(CallFactory())
    item = on_agenda(session, instructor)
    with pytest.raises(services.CommitteeError, match="ne s’indique que pour un dossier retenu"):
        services.record_decision(item_id=item.pk, decision=POSTPONE, amount="300", by=instructor)


@given(amount=st.one_of(st.text(max_size=20), st.decimals(allow_nan=True, allow_infinity=True).map(str)))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_typed_amount_is_stored_within_the_rules_or_refused_with_a_message(instructor, amount):
    call = CallFactory(max_amount=Decimal("500"))
    session = committee(call)
    item = on_agenda(session, instructor, amount_requested=Decimal("400"))
    try:
        with transaction.atomic():
            services.record_decision(item_id=item.pk, decision=ACCEPT, amount=amount, by=instructor)
    except services.CommitteeError as error:
        assert error.message and error.field == "amount"
        item.refresh_from_db()
        assert item.amount is None
    else:
        item.refresh_from_db()
        assert Decimal("0") < item.amount <= Decimal("400")


# --- Publication --------------------------------------------------------------------------------------------------


@pytest.fixture
def decided(instructor, content):
    """A held session with three decisions: 300 € granted, a refusal, a postponement."""
    session = committee(CallFactory(), names=["Alice Habitante", "Bruno Élu", "Chloé Agent"])
    items = [
        on_agenda(session, instructor, email=f"porteur{i}@example.org", amount_requested=Decimal("800"))
        for i in range(3)
    ]
    for item in items:
        vote_all(item, by=instructor)
    services.record_decision(item_id=items[0].pk, decision=ACCEPT, amount="300", by=instructor)
    services.record_decision(item_id=items[1].pk, decision=REFUSE, reason="Le projet n’est pas collectif.")
    services.record_decision(item_id=items[2].pk, decision=POSTPONE)
    return session, items


def test_publishing_moves_each_application_and_tells_each_applicant_once(
    instructor, decided, django_capture_on_commit_callbacks
):
    session, items = decided
    last = OutboxEmail.objects.order_by("pk").last().pk  # « Inscrit au comité » was mailed when put on the agenda
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(session_id=session.pk, by=instructor)
    accepted, refused, postponed = (Application.objects.get(pk=i.application_id) for i in items)
    assert (accepted.status, accepted.amount_granted) == (S.ACCEPTED, Decimal("300"))
    assert accepted.decided_at is not None
    assert refused.status == S.REJECTED
    assert refused.status_changes.latest("pk").comment == "Le projet n’est pas collectif."
    assert postponed.status == S.POSTPONED and postponed.amount_granted is None
    for application in (accepted, refused, postponed):
        change = application.status_changes.latest("pk")
        assert (change.actor, change.by) == (workflow.Actor.COMMITTEE, instructor)
        mails = OutboxEmail.objects.filter(to=[application.email], pk__gt=last)
        assert [m.template_key for m in mails] == [services.DECISION_EMAIL]
    mail = OutboxEmail.objects.get(to=[accepted.email], pk__gt=last)
    assert "Votre projet est retenu : la Ville vous accorde 300,00 €" in mail.body_text
    assert "Le projet n’est pas collectif." in OutboxEmail.objects.get(to=[refused.email], pk__gt=last).body_text
    session.refresh_from_db()
    assert session.status == CommitteeSession.Status.PUBLISHED and session.published_by == instructor
    assert not AgendaItem.objects.filter(active=True).exists()


def test_publishing_twice_is_refused(instructor, decided):
    session, items = decided
    services.publish(session_id=session.pk, by=instructor)
    before = (StatusChange.objects.count(), OutboxEmail.objects.count())
    with pytest.raises(services.CommitteeError, match="déjà publiées"):
        services.publish(session_id=session.pk, by=instructor)
    assert (StatusChange.objects.count(), OutboxEmail.objects.count()) == before


def test_a_published_session_takes_no_more_votes_or_decisions(instructor, decided):
    session, items = decided
    services.publish(session_id=session.pk, by=instructor)
    member = CommitteeMemberFactory(session=session, present=True)
    with pytest.raises(services.CommitteeError, match="déjà publiées"):
        services.record_votes(item_id=items[0].pk, votes={member.pk: FOR})
    with pytest.raises(services.CommitteeError, match="déjà publiées"):
        services.record_decision(item_id=items[0].pk, decision=REFUSE, reason="x")


def assert_nothing_published(session, items, before):
    session.refresh_from_db()
    assert session.status != CommitteeSession.Status.PUBLISHED and session.published_at is None
    assert (StatusChange.objects.count(), OutboxEmail.objects.count()) == before
    for item in items:
        item.refresh_from_db()
        assert item.active
    return [Application.objects.get(pk=i.application_id) for i in items]


def test_publishing_is_all_or_nothing_when_a_move_fails(instructor, decided, monkeypatch):
    session, items = decided
    before = (StatusChange.objects.count(), OutboxEmail.objects.count())
    real_move, calls = moves.move, []

    def second_fails(**kwargs):
        calls.append(kwargs["application_id"])
        if len(calls) == 2:
            raise workflow.MoveNotAllowed("Panne simulée.")
        return real_move(**kwargs)

    monkeypatch.setattr(moves, "move", second_fails)
    with pytest.raises(services.CommitteeError, match=f"Dossier {items[1].application.reference} : Panne simulée"):
        services.publish(session_id=session.pk, by=instructor)
    assert len(calls) == 2  # the first application did move, inside the transaction
    applications = assert_nothing_published(session, items, before)
    assert [a.status for a in applications] == [S.ON_AGENDA] * 3
    assert applications[0].amount_granted is None


def test_an_application_withdrawn_before_publication_stops_it_whole(instructor, decided):
    session, items = decided
    moves.move(application_id=items[1].application_id, target=S.WITHDRAWN, actor=workflow.Actor.APPLICANT)
    before = (StatusChange.objects.count(), OutboxEmail.objects.count())
    with pytest.raises(services.CommitteeError, match="Rien n’a été publié"):
        services.publish(session_id=session.pk, by=instructor)
    applications = assert_nothing_published(session, items, before)
    assert [a.status for a in applications] == [S.ON_AGENDA, S.WITHDRAWN, S.ON_AGENDA]


def test_publishing_needs_a_decision_for_each_application(instructor, decided):
    session, items = decided
    extra = on_agenda(session, instructor)
    before = (StatusChange.objects.count(), OutboxEmail.objects.count())
    with pytest.raises(services.CommitteeError, match=f"Sans décision : {extra.application.reference}\\."):
        services.publish(session_id=session.pk, by=instructor)
    assert_nothing_published(session, items, before)


def test_publishing_checks_the_quorum_again(instructor, decided):
    session, items = decided
    session.members.filter(pk=session.members.first().pk).update(present=False)
    before = (StatusChange.objects.count(), OutboxEmail.objects.count())
    with pytest.raises(services.CommitteeError, match="Quorum non atteint"):
        services.publish(session_id=session.pk, by=instructor)
    assert_nothing_published(session, items, before)


def test_a_postponed_application_goes_on_the_next_session(instructor, decided):
    session, items = decided
    services.publish(session_id=session.pk, by=instructor)
    following = committee(session.calls.first())
    item = services.add_to_agenda(session_id=following.pk, application_id=items[2].application_id, by=instructor)
    assert Application.objects.get(pk=item.application_id).status == S.ON_AGENDA
    assert AgendaItem.objects.filter(application_id=item.application_id).count() == 2


def test_the_envelope_used_per_call(instructor, decided):
    session, items = decided
    (envelope,) = services.envelopes(session, list(session.items.select_related("application")))
    assert (envelope.granted_before, envelope.proposed, envelope.remaining) == (0, 300, Decimal("14700"))
    services.publish(session_id=session.pk, by=instructor)
    session.refresh_from_db()
    (envelope,) = services.envelopes(session, list(session.items.select_related("application")))
    assert (envelope.granted_before, envelope.proposed, envelope.remaining) == (0, 300, Decimal("14700"))


# --- The next committee's date on the public pages ----------------------------------------------------------------


def test_the_next_committee_date_is_the_next_sessions_then_the_calls():
    today = timezone.localdate()
    call = CallFactory(committee_date=today + timedelta(days=60))
    assert services.next_committee_date(call) == today + timedelta(days=60)
    session = committee(call)
    session.date = today + timedelta(days=30)
    session.save()
    assert services.next_committee_date(call) == today + timedelta(days=30)
    assert services.next_committee_date() == today + timedelta(days=30)
    CommitteeSession.objects.filter(pk=session.pk).update(status="published", published_at=timezone.now())
    assert services.next_committee_date(call) == today + timedelta(days=60)
    past = committee(call)
    past.date = today - timedelta(days=1)
    past.save()
    assert services.next_committee_date(call) == today + timedelta(days=60)
