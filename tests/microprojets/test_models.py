"""Database rules of the microprojets, and the reference sequence under concurrent submissions."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from microprojets.models import Attachment, BudgetLine, Call, ReferenceCounter
from microprojets.services.submission import next_reference

from .factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db


def test_call_must_close_after_it_opens():
    with pytest.raises(IntegrityError):
        CallFactory(closes_at=timezone.now() - timedelta(days=30))


def test_call_maximum_cannot_exceed_its_envelope():
    with pytest.raises(IntegrityError):
        CallFactory(max_amount=Decimal("20000"))


def test_open_and_upcoming_calls():
    open_call, upcoming, _closed = CallFactory(), CallFactory(upcoming=True), CallFactory(closed=True)
    assert list(Call.objects.open_at()) == [open_call]
    assert list(Call.objects.upcoming()) == [upcoming]


def test_budget_line_amount_must_be_positive(content):
    application = ApplicationFactory()
    with pytest.raises(IntegrityError):
        BudgetLine.objects.create(application=application, kind="expense", label="x", amount=Decimal("-1"))


def test_application_dates_and_reference_format_are_enforced(content):
    with transaction.atomic(), pytest.raises(IntegrityError):
        ApplicationFactory(ends_on=timezone.localdate())
    with pytest.raises(IntegrityError):
        ApplicationFactory(reference="2026-1")


def test_attachment_belongs_to_exactly_one_owner(content):
    with pytest.raises(IntegrityError):
        Attachment.objects.create(
            original_name="a.pdf", content_type="application/pdf", size=10, sha256="0" * 64, file="x.pdf"
        )


def test_references_are_sequential_per_year():
    with transaction.atomic():
        assert [next_reference(2026) for _ in range(3)] == ["MP-2026-0001", "MP-2026-0002", "MP-2026-0003"]
        assert next_reference(2027) == "MP-2027-0001"
    assert ReferenceCounter.objects.get(year=2026).last == 3


@pytest.mark.django_db(transaction=True)
def test_references_stay_unique_and_sequential_under_concurrent_submissions():
    references, errors = [], []
    barrier = threading.Barrier(8)

    def take():
        try:
            barrier.wait()
            for _ in range(5):
                with transaction.atomic():
                    references.append(next_reference(2031))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(references) == [f"MP-2031-{n:04d}" for n in range(1, 41)]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_of_one_draft_make_one_application(content):
    from langres_portal.core.models import OutboxEmail
    from microprojets.models import Application, Draft
    from microprojets.services.submission import submit_draft

    from .conftest import valid_data

    call = CallFactory()
    data = {k: v for k, v in valid_data().items() if k not in ("action", "website")}
    draft = Draft.objects.create(
        call=call, data={**data, "porteur_kind": "collectif", "rna": "", "residents_count": "5"}
    )
    results, errors = [], []
    barrier = threading.Barrier(2)

    def send():
        try:
            barrier.wait()
            results.append(submit_draft(token=draft.token))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Application.objects.count() == 1 and OutboxEmail.objects.count() == 2
    assert sorted(created for _app, created in results) == [False, True]
    assert results[0][0].pk == results[1][0].pk
