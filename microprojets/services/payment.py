"""Payment of a grant: each payment order (« mandat ») recorded under the application's row lock.

Application.amount_paid is the sum of its payments, recomputed under the lock; the database refuses a sum above the
amount granted (constraint microprojets_application_paid_within_grant). The first payment moves « Retenu » to
« Versé » through moves.move(), which writes the log and tells the applicant; later ones add up while « Versé ».
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from .. import workflow
from ..formats import euros
from ..models import Payment
from . import moves

PAYABLE = frozenset({workflow.Status.ACCEPTED, workflow.Status.PAID})


class PaymentRefused(workflow.MoveNotAllowed):
    """A payment the grant or the status does not allow: nothing was recorded."""


def record_payment(
    *, application_id: int, amount: Decimal, paid_on: date, order_reference: str, by, request=None
) -> Payment:
    """Record one payment; raises PaymentRefused (a French message, nothing saved)."""
    with transaction.atomic():
        application = moves.lock(application_id)
        if application.status not in PAYABLE:
            raise PaymentRefused(
                f"Un versement s’enregistre pour un dossier « Retenu » ou « Versé » ; ce dossier est « "
                f"{application.get_status_display()} ». Rien n’a été enregistré."
            )
        already = application.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        total = already + amount
        if total > application.amount_granted:
            remaining = application.amount_granted - already
            raise PaymentRefused(
                f"Ce versement de {euros(amount)} porterait le total versé à {euros(total)}, au-delà du montant "
                f"accordé ({euros(application.amount_granted)}) : il reste {euros(remaining)} à verser. "
                "Rien n’a été enregistré."
            )
        payment = Payment(
            application=application, amount=amount, paid_on=paid_on, order_reference=order_reference.strip(), by=by
        )
        try:
            payment.full_clean(exclude=["application", "by"])
        except ValidationError as error:
            raise PaymentRefused(" ".join(error.messages)) from None
        payment.save()
        if application.status == workflow.Status.ACCEPTED:
            moves.move(
                application_id=application.pk,
                target=workflow.Status.PAID,
                actor=workflow.Actor.STAFF,
                by=by,
                comment="",
                updates={"amount_paid": total},
                request=request,
            )
        else:
            application.amount_paid = total
            try:
                application.validate_constraints()
            except ValidationError as error:
                raise PaymentRefused(" ".join(error.messages)) from None
            application.save(update_fields=["amount_paid", "updated_at"])
    return payment
