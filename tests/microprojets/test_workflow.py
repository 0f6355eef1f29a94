"""The workflow table, the one move service, and the constraints that tie amounts and dates to the status."""

from decimal import Decimal
from itertools import product

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microprojets import workflow
from microprojets.demo import reach
from microprojets.models import Application, Event, StatusChange
from microprojets.services.moves import StaleApplication, move

from .factories import ApplicationFactory

S, A = workflow.Status, workflow.Actor
ALL_PAIRS = [(a, b) for a, b in product(S.values, S.values) if a != b]


def test_every_status_is_reachable_from_received():
    for status in S.values:
        if status != S.SUBMITTED:
            assert workflow.path_to(status), status


def test_final_statuses_have_no_move_out():
    for status in workflow.FINAL:
        assert workflow.moves_from(status) == [], status


@pytest.mark.parametrize(("source", "target"), ALL_PAIRS)
def test_can_move_answers_from_the_table_only(source, target):
    assert workflow.can_move(source, target) == ((source, target) in workflow.TABLE)


def test_the_applicant_withdraws_only_before_a_decision():
    for status in S.values:
        allowed = workflow.can_move(status, S.WITHDRAWN, A.APPLICANT)
        assert allowed == (status in {S.SUBMITTED, S.UNDER_REVIEW, S.INCOMPLETE, S.ON_AGENDA, S.POSTPONED}), status


def test_decisions_are_the_committees():
    for target in (S.ACCEPTED, S.REJECTED, S.POSTPONED):
        assert not workflow.can_move(S.ON_AGENDA, target, A.STAFF)
        assert workflow.can_move(S.ON_AGENDA, target, A.COMMITTEE)


@pytest.mark.django_db
@pytest.mark.parametrize("target", [s for s in S.values if s != S.SUBMITTED])
def test_each_status_is_reached_through_the_moves_with_its_log(target):
    application = reach(ApplicationFactory(), target)
    application.refresh_from_db()
    assert application.status == target
    changes = list(application.status_changes.order_by("created_at", "pk"))
    assert changes[0].from_status == "" and changes[0].to_status == S.SUBMITTED
    for before, after in zip(changes, changes[1:], strict=False):
        assert after.from_status == before.to_status
    assert changes[-1].to_status == target
    assert application.version == len(changes) - 1
    timeline = list(application.events.exclude(status="").values_list("status", flat=True))
    assert timeline == [c.to_status for c in changes]


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), [p for p in ALL_PAIRS if p not in workflow.TABLE])
def test_a_move_outside_the_table_changes_nothing(source, target):
    application = reach(ApplicationFactory(), source)
    before = (application.status, application.version, StatusChange.objects.count(), Event.objects.count())
    for actor in A.values:
        with pytest.raises(workflow.MoveNotAllowed) as error:
            move(application_id=application.pk, target=target, actor=actor, comment="motif")
        assert "ne peut pas passer" in error.value.message
    application.refresh_from_db()
    after = (application.status, application.version, StatusChange.objects.count(), Event.objects.count())
    assert after == before


@pytest.mark.django_db
@pytest.mark.parametrize("move_", [m for m in workflow.MOVES])
def test_each_move_is_refused_to_the_wrong_actor_and_without_its_reason(move_):
    application = reach(ApplicationFactory(), move_.source)
    for actor in set(A.values) - move_.actors:
        with pytest.raises(workflow.MoveNotAllowed, match="ne peut être fait que par"):
            move(application_id=application.pk, target=move_.target, actor=actor, comment="motif")
    if move_.needs_reason:
        with pytest.raises(workflow.MoveNotAllowed, match="motif"):
            move(application_id=application.pk, target=move_.target, actor=next(iter(move_.actors)), comment="  ")
    application.refresh_from_db()
    assert application.status == move_.source


@pytest.mark.django_db
def test_a_page_opened_before_another_move_is_refused_and_names_who_moved():
    from django.contrib.auth import get_user_model

    agent = get_user_model().objects.create_user("claire", first_name="Claire", last_name="Dupont", is_staff=True)
    application = ApplicationFactory()
    seen = application.version
    move(application_id=application.pk, target=S.UNDER_REVIEW, actor=A.STAFF, by=agent, expected_version=seen)
    with pytest.raises(StaleApplication, match="Claire Dupont"):
        move(application_id=application.pk, target=S.ABANDONED, actor=A.STAFF, comment="x", expected_version=seen)
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW and application.status_changes.count() == 2


@pytest.mark.django_db
def test_the_status_cannot_change_outside_the_service():
    application = ApplicationFactory()
    application.status = S.UNDER_REVIEW
    with pytest.raises(workflow.MoveNotAllowed):
        application.save()
    with pytest.raises(workflow.MoveNotAllowed):
        Application(status=S.ACCEPTED).save()


@pytest.mark.django_db
def test_accepting_needs_an_amount_within_the_request():
    application = reach(ApplicationFactory(amount_requested=Decimal("800")), S.ON_AGENDA)
    with pytest.raises(workflow.MoveNotAllowed, match="montant accordé"):
        move(application_id=application.pk, target=S.ACCEPTED, actor=A.COMMITTEE)
    with pytest.raises(workflow.MoveNotAllowed, match="dépasser le montant demandé"):
        move(
            application_id=application.pk,
            target=S.ACCEPTED,
            actor=A.COMMITTEE,
            updates={"amount_granted": Decimal("800.01")},
        )
    moved = move(
        application_id=application.pk, target=S.ACCEPTED, actor=A.COMMITTEE, updates={"amount_granted": Decimal("300")}
    ).application
    assert moved.amount_granted == Decimal("300") and moved.decided_at is not None


@pytest.mark.django_db
def test_paid_needs_a_payment_within_the_grant():
    application = reach(ApplicationFactory(amount_requested=Decimal("800")), S.ACCEPTED)
    with pytest.raises(workflow.MoveNotAllowed, match="versement"):
        move(application_id=application.pk, target=S.PAID, actor=A.STAFF)
    with pytest.raises(workflow.MoveNotAllowed, match="total versé"):
        move(application_id=application.pk, target=S.PAID, actor=A.STAFF, updates={"amount_paid": Decimal("900")})


@pytest.mark.django_db
def test_the_database_refuses_a_grant_without_its_status():
    application = ApplicationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(amount_granted=Decimal("100"))
    accepted = reach(ApplicationFactory(), S.ACCEPTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=accepted.pk).update(amount_paid=accepted.amount_granted + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=accepted.pk).update(decided_at=None)


@pytest.mark.django_db
def test_a_status_move_queues_one_email_to_the_applicant(content):
    from langres_portal.core.models import OutboxEmail

    application = ApplicationFactory()
    move(application_id=application.pk, target=S.UNDER_REVIEW, actor=A.STAFF)
    move(application_id=application.pk, target=S.INCOMPLETE, actor=A.STAFF, comment="Le devis, s’il vous plaît.")
    mails = list(OutboxEmail.objects.filter(template_key="microprojets-changement-statut").order_by("pk"))
    assert [m.to for m in mails] == [[application.email]] * 2
    assert "Le devis" in mails[1].body_text and "Complément demandé" in mails[1].subject
    move(application_id=application.pk, target=S.WITHDRAWN, actor=A.APPLICANT)
    assert OutboxEmail.objects.filter(template_key="microprojets-changement-statut").count() == 2


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(choices=st.lists(st.tuples(st.integers(0, 100), st.sampled_from(A.values), st.booleans()), max_size=12))
def test_any_series_of_attempts_leaves_status_and_log_agreeing(choices):
    """Random moves, allowed or not, by any actor, with or without a reason: the log always ends on the status."""
    application = ApplicationFactory()
    for index, actor, with_reason in choices:
        targets = [s for s in S.values if s != application.status]
        target = targets[index % len(targets)]
        updates = {}
        if target == S.ACCEPTED:
            updates["amount_granted"] = application.amount_requested
        if target == S.PAID:
            updates["amount_paid"] = application.amount_granted or Decimal("1")
        try:
            move(
                application_id=application.pk,
                target=target,
                actor=actor,
                comment="motif" if with_reason else "",
                updates=updates,
            )
        except workflow.MoveNotAllowed:
            pass
        application.refresh_from_db()
        last = application.status_changes.order_by("-created_at", "-pk").first()
        assert last.to_status == application.status
        assert application.status_changes.count() == application.version + 1
