"""send_reminders: each reminder once per occasion, recorded, through the outbox; running twice sends nothing more."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError, transaction

from langres_portal.core.models import OutboxEmail
from microprojets import workflow
from microprojets.demo import reach
from microprojets.models import Draft, Reminder
from microprojets.services.moves import move
from microprojets.services.reminders import add_months, send_reminders

from .factories import ApplicationFactory, CallFactory

S = workflow.Status
PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


def at(day, hour=9):
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)


def mails(key):
    return list(OutboxEmail.objects.filter(template_key=key).order_by("pk"))


def run():
    out = StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue()


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month():
    from datetime import date

    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)


def test_the_report_is_asked_one_month_after_the_end_then_every_two_weeks_three_times_at_most(content):
    application = ApplicationFactory(status=S.PAID)
    end = application.ends_on
    first = add_months(end, 1)
    expected = [
        (first - timedelta(days=1), 0),
        (first, 1),
        (first + timedelta(days=1), 1),
        (first + timedelta(days=14), 2),
        (first + timedelta(days=27), 2),
        (first + timedelta(days=28), 3),
        (first + timedelta(days=200), 3),
    ]
    for day, count in expected:
        with time_machine.travel(at(day), tick=False):
            run()
            run()  # a second run the same day sends nothing more
        assert len(mails("microprojets-rappel-bilan")) == count, day
    occasions = list(Reminder.objects.filter(kind=Reminder.Kind.REPORT_DUE).values_list("occasion", flat=True))
    assert sorted(occasions) == [1, 2, 3]
    assert mails("microprojets-rappel-bilan")[0].to == [application.email]
    assert application.get_tracking_url() in mails("microprojets-rappel-bilan")[0].body_text


def test_no_report_reminder_once_the_report_is_received(content):
    application = ApplicationFactory(status=S.REPORT_RECEIVED)
    with time_machine.travel(at(add_months(application.ends_on, 2)), tick=False):
        run()
    assert not Reminder.objects.exists()


def test_a_missing_complement_is_recalled_after_15_days_then_once_more(content):
    start = at(ApplicationFactory.starts_on.function() - timedelta(days=50))
    with time_machine.travel(start, tick=False):
        application = ApplicationFactory(status=S.INCOMPLETE)
    for days, count in [(14, 0), (15, 1), (16, 1), (30, 2), (90, 2)]:
        with time_machine.travel(start + timedelta(days=days), tick=False):
            run()
            run()
        assert len(mails("microprojets-rappel-complement")) == count, days
    assert "Exemple : merci d’envoyer le devis" in mails("microprojets-rappel-complement")[0].body_text
    # Answered, then a new request: it has its own two reminders.
    with time_machine.travel(start + timedelta(days=91), tick=False):
        move(application_id=application.pk, target=S.UNDER_REVIEW, actor=workflow.Actor.APPLICANT)
        move(application_id=application.pk, target=S.INCOMPLETE, actor=workflow.Actor.STAFF, comment="Le RIB.")
    with time_machine.travel(start + timedelta(days=106), tick=False):
        run()
    assert len(mails("microprojets-rappel-complement")) == 3


def test_a_draft_with_an_email_is_recalled_once_three_days_before_its_call_closes(content):
    call = CallFactory()
    with_email = Draft.objects.create(call=call, email="brouillon@example.org", data={})
    Draft.objects.create(call=call, email="", data={})
    for delta, count in [(timedelta(days=4), 0), (timedelta(days=3), 1), (timedelta(hours=1), 1)]:
        with time_machine.travel(call.closes_at - delta, tick=False):
            run()
        assert len(mails("microprojets-rappel-brouillon")) == count
    assert mails("microprojets-rappel-brouillon")[0].to == [with_email.email]
    with time_machine.travel(call.closes_at + timedelta(hours=1), tick=False):
        run()
    assert len(mails("microprojets-rappel-brouillon")) == 1


def test_the_applicant_is_told_two_weeks_before_the_data_is_deleted(content, settings):
    settings.MICROPROJETS_SHORT_RETENTION_YEARS = 1
    start = datetime(2026, 3, 1, 10, tzinfo=PARIS)
    with time_machine.travel(start, tick=False):
        application = ApplicationFactory(status=S.SUBMITTED)
        reach(application, S.REJECTED)
    for when, count in [
        (datetime(2027, 2, 14, 9, tzinfo=PARIS), 0),
        (datetime(2027, 2, 15, 11, tzinfo=PARIS), 1),
        (datetime(2027, 2, 20, 11, tzinfo=PARIS), 1),
    ]:
        with time_machine.travel(when, tick=False):
            run()
        assert len(mails("microprojets-rappel-suppression")) == count, when
    assert "1 mars 2027" in mails("microprojets-rappel-suppression")[0].body_text


def test_the_command_says_what_it_queued(content):
    application = ApplicationFactory(status=S.PAID)
    with time_machine.travel(at(add_months(application.ends_on, 1)), tick=False):
        assert "Bilan attendu : 1 rappel(s)" in run()
        assert "0 rappel(s) en tout." in run()


def test_the_database_refuses_a_second_reminder_for_the_same_occasion(content):
    application = ApplicationFactory()
    Reminder.objects.create(kind=Reminder.Kind.REPORT_DUE, application=application, occasion=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(kind=Reminder.Kind.REPORT_DUE, application=application, occasion=1)


def test_with_nothing_due_send_reminders_only_looks(content, django_assert_num_queries):
    ApplicationFactory(status=S.UNDER_REVIEW)
    send_reminders()
    with django_assert_num_queries(4):  # one query per kind of reminder
        send_reminders()
