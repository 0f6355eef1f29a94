"""A thin wrapper around the quartiers app's address lookup, so the eligibility check works without it."""

from dataclasses import dataclass, field


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
