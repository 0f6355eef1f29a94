"""How addresses are read: street names compared without case, accents, hyphens, apostrophes or street-type
abbreviations; house numbers (« 12 », « 12 bis », « 12 B », « 12-14 ») read by one parser, whichever field they
were typed in."""

import re
import unicodedata
from dataclasses import dataclass

# Abbreviation (or variant) -> full street type. Compared after lowercasing and removing accents and dots.
STREET_TYPES = {
    "av": "avenue",
    "ave": "avenue",
    "avenue": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "bvd": "boulevard",
    "boul": "boulevard",
    "boulevard": "boulevard",
    "r": "rue",
    "rue": "rue",
    "pl": "place",
    "place": "place",
    "chem": "chemin",
    "ch": "chemin",
    "chemin": "chemin",
    "imp": "impasse",
    "impasse": "impasse",
    "all": "allee",
    "allee": "allee",
    "sq": "square",
    "square": "square",
    "rte": "route",
    "route": "route",
    "fg": "faubourg",
    "fbg": "faubourg",
    "faubourg": "faubourg",
    "pass": "passage",
    "passage": "passage",
    "sente": "sente",
    "ruelle": "ruelle",
    "cite": "cite",
    "residence": "residence",
    "res": "residence",
    "quai": "quai",
    "cours": "cours",
    "promenade": "promenade",
    "prom": "promenade",
    "voie": "voie",
}
# Small words that people add or leave out ("rue du Général Leclerc" / "rue general leclerc").
SMALL_WORDS = {"de", "du", "des", "d", "la", "le", "les", "l", "au", "aux", "a", "et"}
WORD_EXPANSIONS = {"st": "saint", "ste": "sainte", "gal": "general", "gen": "general", "mal": "marechal"}
# « …, 21000 Ville » at the end of an address: the postcode and what follows are not part of the street.
TRAILING_POSTCODE = re.compile(r"[\s,]+\d{5}\b.*$")

# House numbers, as the Base Adresse Nationale writes them: 1 to 99999, then an optional repetition index (bis,
# ter…) or letter. A range (« 12-14 ») is a building on several numbers: its first number locates it.
MAX_HOUSE_NUMBER = 99999
INDEX_WORDS = ("bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "nonies")
_INDEX = rf"(?:{'|'.join(INDEX_WORDS)}|[a-z])"
_NUMBER = (
    r"(?:n\s*[°ºo]\.?\s*)?(?P<sign>[-+−]\s*)?(?P<first>[0-9]+)(?:\s*(?P<index>" + _INDEX + r"))?"
    r"(?:\s*(?:-|–|/|à|au)\s*(?P<last>[0-9]+)(?:\s*" + _INDEX + r")?)?"
)
HOUSE_NUMBER = re.compile(rf"^{_NUMBER}$", re.IGNORECASE)
# In front of a street, an index letter must be glued to the number (« 12b rue… ») or followed by a comma, or not be
# a street type: « 12 r. des Lilas » is number 12 of « r. des Lilas ».
LEADING_NUMBER = re.compile(rf"^(?P<number>{_NUMBER})(?<![ ][rR])(?:\s*,\s*|\s+)(?P<rest>\S.*)$", re.IGNORECASE)
NUMBER_HELP = "par exemple 12, 12 bis, 12 B ou 12-14"
NUMBER_MESSAGES = {
    "invalid": f"Saisissez un numéro de 1 à 99999, {NUMBER_HELP}.",
    "zero": f"Le numéro 0 n’existe pas : saisissez un numéro de 1 à 99999, {NUMBER_HELP}.",
    "negative": f"Un numéro ne peut pas être négatif : saisissez un numéro de 1 à 99999, {NUMBER_HELP}.",
    "too_big": f"Ce numéro est trop grand : saisissez un numéro de 1 à 99999, {NUMBER_HELP}.",
}
TWO_NUMBERS = (
    "Vous avez indiqué deux numéros différents ({street} dans la rue, {number} ici) : "
    "gardez seulement celui de l’adresse."
)


@dataclass(frozen=True)
class HouseNumber:
    """A house number as typed, once read: « 12 bis » -> HouseNumber(12, "bis"); « 12-14 » -> (12, last=14)."""

    number: int
    index: str = ""  # "bis", "ter"… in lowercase, or a capital letter
    last: int | None = None  # the end of a range

    def __str__(self):
        text = f"{self.number} {self.index}" if self.index else str(self.number)
        return f"{text}-{self.last}" if self.last else text


class InvalidAddress(ValueError):
    """An address that cannot be read; `field` ("street" or "number") says where the French `message` goes."""

    def __init__(self, field: str, message: str, code: str = "invalid"):
        super().__init__(message)
        self.field, self.message, self.code = field, message, code


@dataclass(frozen=True)
class Address:
    street: str  # the street name, without its number or postcode
    number: HouseNumber | None
    number_in_street: bool = False  # the number was read from the start of the street field
    typed_street: str = ""  # the street field as typed (without postcode), for streets named « 8 Mai 1945 »


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("œ", "oe").replace("æ", "ae")
    # Hyphens, apostrophes (straight or curly), dots, commas and anything else that is not a letter or digit.
    return re.findall(r"[a-z0-9]+", text)


def normalize_street(text: str) -> str:
    """The comparison key of a street name: « Av. du Général-Leclerc » -> « avenue general leclerc »."""
    words = _words(text)
    if not words:
        return ""
    if words[0] in STREET_TYPES:
        words[0] = STREET_TYPES[words[0]]
    words = [WORD_EXPANSIONS.get(w, w) for w in words]
    return " ".join(w for i, w in enumerate(words) if i == 0 or w not in SMALL_WORDS)


def street_core(key: str) -> str:
    """The key without its street type, to match « Foch » with « avenue Foch »."""
    first, _, rest = key.partition(" ")
    return rest if first in STREET_TYPES.values() and rest else key


def _clean(text: str) -> str:
    """Fullwidth digits and odd spaces made plain, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


def _house_number(match: re.Match, field: str) -> HouseNumber:
    """The HouseNumber of a match of _NUMBER, or InvalidAddress at `field` for a number that cannot exist."""
    digits = [d.lstrip("0") for d in (match["first"], match["last"] or "")]
    if match["sign"] and match["sign"].strip() != "+":
        code = "negative"
    # Compared as text first: int() of a 100 kB string of digits is slow, and refused past 4300 digits.
    elif any(len(d) > len(str(MAX_HOUSE_NUMBER)) or (d and int(d) > MAX_HOUSE_NUMBER) for d in digits):
        code = "too_big"
    elif not digits[0] or (match["last"] and not digits[1]):
        code = "zero"
    else:
        first, last = int(match["first"]), int(match["last"]) if match["last"] else None
        index = (match["index"] or "").lower()
        if last is not None:
            first, last = min(first, last), max(first, last)
        return HouseNumber(first, index.upper() if len(index) == 1 else index, last if last != first else None)
    raise InvalidAddress(field, NUMBER_MESSAGES[code], code)


def parse_house_number(text: str | None, field: str = "number") -> HouseNumber | None:
    """« 12 », « 12 bis », « 12b », « 12 B », « 12-14 », « n° 12 » -> a HouseNumber; blank -> None.

    Anything else raises InvalidAddress with a French message for the form field `field`.
    """
    text = _clean(text)
    if not text:
        return None
    match = HOUSE_NUMBER.match(text)
    if not match:
        raise InvalidAddress(field, NUMBER_MESSAGES["invalid"])
    return _house_number(match, field)


def split_address(text: str, field: str = "street") -> tuple[HouseNumber | None, str]:
    """« 12 bis, av. des Lilas » -> (HouseNumber(12, "bis"), « av. des Lilas »); no leading number: (None, text).

    A number alone is left as it is (it may be a street's name). A leading number that cannot exist (« 0 rue… »)
    raises InvalidAddress at `field`.
    """
    text = text or ""
    match = LEADING_NUMBER.match(_clean(text))
    if not match:
        return None, text
    return _house_number(match, field), match["rest"]


def split_leading_number(text: str) -> tuple[int | None, str]:
    """« 12 bis rue des Lilas » -> (12, « rue des Lilas »); text without a readable leading number is unchanged."""
    try:
        number, rest = split_address(text)
    except InvalidAddress:
        return None, text
    return (number.number, rest) if number else (None, text)


def parse_address(street: str | None, number: "str | int | HouseNumber | None" = None) -> Address:
    """The one reading of an address, for every form and caller: street text, and a number typed apart or not.

    The number may also start the street text (« 12 avenue des Glycines »); when both say one, they must agree.
    Raises InvalidAddress (field "street" or "number", French message) for a number that cannot exist.
    """
    typed_street = strip_postcode(street or "").strip()
    if isinstance(number, int):
        number = parse_house_number(str(number))
    elif not isinstance(number, HouseNumber):
        number = parse_house_number(number)
    in_street, rest = split_address(typed_street)
    if in_street is None:
        return Address(typed_street, number, typed_street=typed_street)
    if number is not None and number.number != in_street.number:
        raise InvalidAddress("number", TWO_NUMBERS.format(street=in_street, number=number), "two_numbers")
    return Address(rest.strip(), number or in_street, number_in_street=number is None, typed_street=typed_street)


def strip_postcode(text: str) -> str:
    """« rue des Lilas, 21000 Ville » -> « rue des Lilas »."""
    return TRAILING_POSTCODE.sub("", text or "")
