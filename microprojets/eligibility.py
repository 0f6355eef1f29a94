"""The eligibility check's rules: what blocks an application, what is only a warning, and the address lookup (a
thin wrapper around the quartiers app's, so the check works without it). The words are staff's
(EligibilityMessage); the rules are here."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from .formats import euros


@dataclass
class AddressAnswer:
    status: str  # "qpv", "veille", "outside" or "unknown"
    quartier: object = None
    street: str = ""
    is_eligible: bool | None = None
    # For an unknown street: the closest known ones, each with .name and .number (the number typed, "" if none).
    suggestions: tuple = field(default=())


def address_errors(street: str, number: str | None = None) -> dict[str, str]:
    """French messages by field ("street", "number") for an address the quartiers app cannot read.

    The quartiers app reads the number (« 12 », « 12 bis », « 12-14 », « 12 avenue … »): one reading for
    every form. Without it, nothing is checked and the answer is « unknown ».
    """
    try:
        from quartiers.normalize import InvalidAddress, parse_address
    except ImportError:
        return {}
    try:
        parse_address(street, number)
    except InvalidAddress as error:
        return {error.field: error.message}
    return {}


def lookup_address(street: str, number: str | None = None) -> AddressAnswer:
    """Ask quartiers.services.lookup_address; « unknown » when it is missing or fails to answer."""
    street = (street or "").strip()
    if not street:
        return AddressAnswer(status="unknown")
    try:
        from quartiers import services
    except ImportError:
        return AddressAnswer(status="unknown", street=street)
    lookup = getattr(services, "lookup_address", None)
    if lookup is None:
        return AddressAnswer(status="unknown", street=street)
    result = lookup(street, number=number or None)
    return AddressAnswer(
        status=getattr(result, "status", "unknown"),
        quartier=getattr(result, "quartier", None),
        street=getattr(result, "street", street) or street,
        is_eligible=getattr(result, "is_eligible", None),
        suggestions=tuple(getattr(result, "suggestions", ())),
    )


def eligibility_messages():
    """The staff-edited sentences of the check, by key; a missing one falls back to the case's short label."""
    from .models import EligibilityMessage

    texts = dict(EligibilityMessage.objects.values_list("key", "text"))
    return {key: texts.get(key) or label for key, label in EligibilityMessage.Key.choices}


def fill(text, site=None, **values):
    """Escape a staff text and replace its {variables}; the phone number becomes a link."""
    html = conditional_escape(text)
    for name, value in values.items():
        html = html.replace(f"{{{name}}}", conditional_escape(value))
    if site is not None:
        html = html.replace("{service}", conditional_escape(site.service_name))
        phone = format_html('<a href="{}">{}</a>', site.phone_uri, site.phone) if site.phone else ""
        html = html.replace("{telephone}", phone)
    return mark_safe(html)  # noqa: S308 - escaped above, only our own values are inserted


def assess(data, call, site=None):
    """Reasons against, and warnings: a borderline case is warned, never blocked."""
    from .models import EligibilityMessage

    Key = EligibilityMessage.Key
    messages_ = eligibility_messages()
    values = {"montant_maximum": euros(call.max_amount) if call else ""}

    def say(key):
        return fill(messages_[key], site, **values)

    blocking, warnings = [], []
    for name, key in (
        ("collective", Key.NOT_COLLECTIVE),
        ("non_profit", Key.PROFIT),
        ("residents", Key.NOT_RESIDENTS),
    ):
        if data[name] == "non":
            blocking.append(say(key))
    for name, key in (
        ("collective", Key.UNSURE_COLLECTIVE),
        ("non_profit", Key.UNSURE_PROFIT),
        ("residents", Key.UNSURE_RESIDENTS),
        ("dates", Key.UNSURE_DATES),
    ):
        if data[name] == "nsp":
            warnings.append(say(key))
    if data["dates"] == "non":
        warnings.append(say(Key.EARLY_DATES))
    amount = data.get("amount")
    if call and amount is not None and amount > call.max_amount:
        warnings.append(say(Key.OVER_MAXIMUM))
    address = lookup_address(data.get("street", ""), data.get("number", ""))
    if address.status == "outside":
        warnings.append(say(Key.ADDRESS_OUTSIDE))
    elif address.status == "unknown" and data.get("street"):
        warnings.append(say(Key.ADDRESS_UNKNOWN))
    what_to_do = say(Key.WHAT_TO_DO) if blocking or warnings else ""
    return {"blocking": blocking, "warnings": warnings, "address": address, "what_to_do": what_to_do}


# The eligibility check's answers carried to the form, in the link of its « Déposer mon projet » button (no cookie).
PREFILL_PARAMS = {"amount": "montant", "street": "rue", "number": "numero"}


def prefill_query(data: dict) -> dict:
    """The query string of the form's link, from the check's cleaned answers (empty ones left out)."""
    values = {param: data.get(name) for name, param in PREFILL_PARAMS.items()}
    return {k: str(v).strip() for k, v in values.items() if v not in (None, "") and str(v).strip()}


def prefill_initial(query) -> dict:
    """Initial values of the form from that link; anything absurd is ignored, never an error."""
    from .forms.public import AmountField

    initial = {}
    amount = (query.get("montant") or "")[:30]
    if amount:
        try:
            value = AmountField(required=False).clean(amount)
        except Exception:  # noqa: BLE001 - a typed or forged amount that does not read is simply not carried
            value = None
        if value is not None and value < Decimal("10000000"):
            initial["amount_requested"] = str(value).replace(".", ",")
    street, number = (query.get("rue") or "")[:200].strip(), (query.get("numero") or "")[:20].strip()
    if street and not address_errors(street, number):
        initial["place"] = f"{number} {street}".strip()
        answer = lookup_address(street, number)
        if answer.status in {"qpv", "veille"} and answer.quartier is not None:
            initial["quartier"] = str(answer.quartier.pk)
    return initial
