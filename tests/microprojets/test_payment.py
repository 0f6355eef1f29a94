"""Payments: the first one moves « Retenu » to « Versé », later ones add up, never above the amount granted."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from langres_portal.core.models import OutboxEmail
from microprojets import workflow
from microprojets.models import Application, Payment, StatusChange
from microprojets.services.payment import PaymentRefused, record_payment

from .factories import ApplicationFactory

S = workflow.Status
pytestmark = pytest.mark.django_db


def followup_url(application):
    return reverse("admin:microprojets_application_followup", args=[application.pk])


def pay(application, amount, by, **kwargs):
    return record_payment(
        application_id=application.pk,
        amount=Decimal(amount),
        paid_on=kwargs.get("paid_on", timezone.localdate()),
        order_reference=kwargs.get("order_reference", "M-2026-001"),
        by=by,
    )


def test_the_first_payment_moves_accepted_to_paid_with_its_log_and_the_applicants_email(content, staff_user):
    application = ApplicationFactory(status=S.ACCEPTED, amount_requested=Decimal("800"))
    pay(application, "300", staff_user)
    application.refresh_from_db()
    assert application.status == S.PAID and application.amount_paid == Decimal("300")
    change = application.status_changes.order_by("-pk").first()
    assert (change.from_status, change.to_status, change.by) == (S.ACCEPTED, S.PAID, staff_user)
    mail = OutboxEmail.objects.get(template_key="microprojets-changement-statut")
    assert mail.to == [application.email] and "Versé" in mail.subject


def test_later_payments_add_up_while_paid_without_a_new_move(content, staff_user):
    application = ApplicationFactory(status=S.ACCEPTED, amount_requested=Decimal("800"))
    pay(application, "300", staff_user)
    moves = StatusChange.objects.count()
    pay(application, "500", staff_user, order_reference="M-2026-002")
    application.refresh_from_db()
    assert application.status == S.PAID and application.amount_paid == Decimal("800")
    assert StatusChange.objects.count() == moves
    assert list(application.payments.values_list("order_reference", flat=True)) == ["M-2026-001", "M-2026-002"]


@given(first=st.integers(1, 800), second=st.integers(1, 2000))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_payment_above_what_was_granted_is_refused_and_nothing_is_saved(content, staff_user, first, second):
    with transaction.atomic():
        application = ApplicationFactory(status=S.ACCEPTED, amount_requested=Decimal("800"))
        pay(application, first, staff_user)
        before = (Payment.objects.count(), StatusChange.objects.count())
        if first + second > 800:
            with pytest.raises(PaymentRefused) as error:
                pay(application, second, staff_user)
            assert "au-delà du montant accordé (800,00 €)" in error.value.message
            application.refresh_from_db()
            assert application.amount_paid == first
            assert (Payment.objects.count(), StatusChange.objects.count()) == before
        else:
            pay(application, second, staff_user)
            application.refresh_from_db()
            assert application.amount_paid == first + second
        transaction.set_rollback(True)


def test_the_database_refuses_a_total_paid_above_the_grant_even_without_the_service(content):
    application = ApplicationFactory(status=S.PAID, amount_requested=Decimal("800"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(amount_paid=Decimal("800.01"))


@pytest.mark.parametrize("status", [S.SUBMITTED, S.ON_AGENDA, S.REJECTED, S.REPORT_RECEIVED, S.CLOSED])
def test_no_payment_outside_accepted_and_paid(content, staff_user, status):
    application = ApplicationFactory(status=status)
    with pytest.raises(PaymentRefused) as error:
        pay(application, "1", staff_user)
    assert "« Retenu » ou « Versé »" in error.value.message
    assert not Payment.objects.exists()


def test_staff_record_a_payment_from_the_application_page(content, admin_client):
    application = ApplicationFactory(status=S.ACCEPTED, amount_requested=Decimal("800"))
    change = admin_client.get(reverse("admin:microprojets_application_change", args=[application.pk]))
    assert followup_url(application) in change.content.decode()
    page = admin_client.get(followup_url(application))
    assert page.status_code == 200 and "Enregistrer un versement" in page.content.decode()
    data = {"action": "payment", "amount": "300,50", "paid_on": timezone.localdate().isoformat()}
    response = admin_client.post(followup_url(application), {**data, "order_reference": "M-1"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.PAID and application.amount_paid == Decimal("300.50")


def test_a_payment_above_the_grant_from_the_page_shows_a_french_message_and_keeps_what_was_typed(
    content, admin_client
):
    application = ApplicationFactory(status=S.ACCEPTED, amount_requested=Decimal("800"))
    data = {"action": "payment", "amount": "900", "paid_on": timezone.localdate().isoformat()}
    response = admin_client.post(followup_url(application), {**data, "order_reference": "M-9"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "au-delà du montant accordé" in text and 'value="M-9"' in text
    assert response.context["title"] and not Payment.objects.exists()
    application.refresh_from_db()
    assert application.status == S.ACCEPTED


def test_a_future_or_absurd_payment_is_refused_at_its_field(content, admin_client):
    application = ApplicationFactory(status=S.ACCEPTED)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = admin_client.post(
        followup_url(application), {"action": "payment", "amount": "abc\x00", "paid_on": tomorrow}
    )
    form = response.context["payment_form"]
    assert response.status_code == 400
    assert "futur" in form.errors["paid_on"][0] and "en chiffres" in form.errors["amount"][0]
    assert "order_reference" in form.errors and not Payment.objects.exists()


def test_staff_outside_the_instructors_get_403_on_the_payment_page(content, client):
    user = get_user_model().objects.create_user("redac", "r@example.org", "motdepasse-solide-123", is_staff=True)
    client.force_login(user)
    application = ApplicationFactory(status=S.ACCEPTED)
    for method in (client.get, client.post):
        assert method(followup_url(application)).status_code == 403
    assert not Payment.objects.exists()


def test_the_payment_page_has_a_constant_number_of_queries(content, admin_client):
    application = ApplicationFactory(status=S.ACCEPTED, amount_requested=Decimal("800"))
    user = get_user_model().objects.get(username="admin")
    pay(application, "1", user)
    admin_client.get(followup_url(application))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        admin_client.get(followup_url(application))
    for i in range(10):
        pay(application, "1", user, order_reference=f"M-{i}")
    with CaptureQueriesContext(connection) as many:
        admin_client.get(followup_url(application))
    assert len(many) == len(few)


def test_the_payment_page_has_the_admins_breadcrumbs_in_one_landmark(content, admin_client):
    """The admin's base.html already wraps the block in <nav aria-label>; its style is for div.breadcrumbs."""
    application = ApplicationFactory(status=S.ACCEPTED)
    html = admin_client.get(followup_url(application)).content.decode()
    assert html.count("<nav") - html.count('id="nav-sidebar"') == 1
    assert '<div class="breadcrumbs">' in html
