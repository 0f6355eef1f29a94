"""« Is this address in the priority neighbourhood? » — the lookup the other apps call."""

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .models import Quartier, Street
from .normalize import HouseNumber, normalize_street, parse_address, street_core

ELIGIBLE_STATUSES = {"qpv", "veille"}
# « Vouliez-vous dire… ? »: at most this many streets, each at least this close to what was typed (0 to 1).
MAX_SUGGESTIONS = 3
SUGGESTION_CUTOFF = 0.75
# A typed beginning of a street's name (« glyc » for « Glycines ») counts as this close, from 3 letters on.
PREFIX_SCORE = 0.8
PREFIX_MIN_LENGTH = 3
# A street of another type (« rue » typed, « avenue » in the directory) is a little less likely.
OTHER_TYPE_FACTOR = 0.9


@dataclass(frozen=True)
class Suggestion:
    """A street of the directory close to what was typed, and the house number to check it with ("" if none)."""

    name: str
    number: str = ""


@dataclass(frozen=True)
class AddressLookup:
    status: str  # "qpv" | "veille" | "outside" | "unknown"
    quartier: Quartier | None
    street: Street | None  # the matched directory entry, if any
    suggestions: tuple[Suggestion, ...] = field(default=())  # for an unknown street: the closest known ones

    @property
    def is_eligible(self) -> bool:
        return self.status in ELIGIBLE_STATUSES

    @property
    def needs_number(self) -> bool:
        """The street is known but split between zones: the answer depends on the house number."""
        return self.status == "unknown" and self.street is not None


UNKNOWN = AddressLookup(status="unknown", quartier=None, street=None)


def status_of(entry: Street) -> str:
    quartier = entry.quartier
    if quartier is None or quartier.status not in ELIGIBLE_STATUSES:
        return "outside"
    return quartier.status


def _answer(entry: Street) -> AddressLookup:
    return AddressLookup(status=status_of(entry), quartier=entry.quartier, street=entry)


def matching_entries(street: str) -> list[Street]:
    """The directory entries of the street the text names (one query); [] if none or if it is ambiguous."""
    key = normalize_street(street)
    if not key:
        return []
    core = street_core(key)
    candidates = list(
        Street.objects.select_related("quartier").filter(normalized_name=key)
        or Street.objects.select_related("quartier").filter(normalized_core=core)
    )
    # « Foch » alone matches « avenue Foch », but not if « rue Foch » also exists.
    if len({c.normalized_name for c in candidates}) > 1:
        return []
    return candidates


def lookup_address(street: str, number: str | int | HouseNumber | None = None) -> AddressLookup:
    """Where is this address? Matching ignores case, accents, hyphens, apostrophes and street-type abbreviations.

    The number is read by `normalize.parse_address`, as every form reads it: typed apart (« 12 bis », « 12-14 »)
    or at the start of the street (« 12 rue … »). Raises `normalize.InvalidAddress` for a number that cannot
    exist; forms call `parse_address` first to show its message at the field.
    """
    address = parse_address(street, number)
    entries = matching_entries(address.street)
    number = address.number.number if address.number else None
    if not entries and address.number_in_street:
        # « 8 Mai 1945 »: the leading number may be part of the street's name.
        entries, number = matching_entries(address.typed_street), None
    if not entries:
        number_text = str(address.number) if address.number else ""
        suggestions = tuple(Suggestion(name, number_text) for name in suggest_streets(address.street))
        return AddressLookup(status="unknown", quartier=None, street=None, suggestions=suggestions)
    if number is not None:
        # The parts with a range are more precise than a whole-street entry: try them first.
        for entry in sorted(entries, key=lambda e: not e.has_range):
            if entry.covers(number):
                return _answer(entry)
        # Known street, but this number is in none of the listed parts: outside every neighbourhood.
        return AddressLookup(status="outside", quartier=None, street=None)
    if not any(e.has_range for e in entries):
        return _answer(entries[0])
    # Without a number, answer only if every part of the street gives the same answer.
    statuses = {status_of(e) for e in entries}
    if len(statuses) == 1 and not _leaves_gaps(entries):
        return _answer(entries[0])
    return AddressLookup(status="unknown", quartier=None, street=entries[0])


def _leaves_gaps(entries: list[Street]) -> bool:
    """Whether some numbers of the street fall in no entry (then they are outside)."""
    if any(not e.has_range for e in entries):
        return False
    sides = {"odd": False, "even": False}
    for e in entries:
        if e.number_from is None and e.number_to is None:
            if e.side == Street.Side.BOTH:
                return False
            sides[e.side] = True
    return not all(sides.values())


def _similarity(typed_key: str, street_key: str) -> float:
    """How close a typed street is to a directory street, both as comparison keys (normalize_street), 0 to 1.

    The names are compared without their street type (« capucine » with « capucines »), so that the shared « rue »
    does not make « rue des Lilas » look like « rue des Capucines ».
    """
    typed_core, core = street_core(typed_key), street_core(street_key)
    score = SequenceMatcher(None, typed_core, core, autojunk=False).ratio()
    if len(typed_core) >= PREFIX_MIN_LENGTH and core.startswith(typed_core):
        score = max(score, PREFIX_SCORE)
    if typed_core != typed_key and typed_key.split(" ", 1)[0] != street_key.split(" ", 1)[0]:
        score *= OTHER_TYPE_FACTOR
    return score


def suggest_streets(street: str, limit: int = MAX_SUGGESTIONS) -> list[str]:
    """The names of the directory's streets closest to a street name that matched none, best first.

    One query for the whole directory (a few hundred streets), compared in Python so that SQLite and PostgreSQL
    answer alike: the same folding as the lookup (normalize_street), then difflib's ratio on the names.
    """
    key = normalize_street(street)
    if not key:
        return []
    names = {}  # comparison key -> the first full name in alphabetical order
    for normalized, name in Street.objects.order_by("normalized_name", "name").values_list("normalized_name", "name"):
        names.setdefault(normalized, name)
    scored = sorted(((_similarity(key, k), name) for k, name in names.items()), key=lambda pair: (-pair[0], pair[1]))
    return [name for score, name in scored if score >= SUGGESTION_CUTOFF][:limit]
