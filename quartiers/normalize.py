"""How street names are compared: without case, accents, hyphens, apostrophes or street-type abbreviations."""

import re
import unicodedata

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
# Small words that people add or leave out ("rue du Général de Gaulle" / "rue general de gaulle").
SMALL_WORDS = {"de", "du", "des", "d", "la", "le", "les", "l", "au", "aux", "a", "et"}
WORD_EXPANSIONS = {"st": "saint", "ste": "sainte", "gal": "general", "gen": "general", "mal": "marechal"}
# « …, 52200 Langres » at the end of an address: the postcode and what follows are not part of the street.
TRAILING_POSTCODE = re.compile(r"[\s,]+\d{5}\b.*$")
LEADING_NUMBER = re.compile(r"^\s*(\d{1,5})\s*(?:bis|ter|quater|[a-d])?\b[\s,]*", re.IGNORECASE)


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("œ", "oe").replace("æ", "ae")
    # Hyphens, apostrophes (straight or curly), dots, commas and anything else that is not a letter or digit.
    return re.findall(r"[a-z0-9]+", text)


def normalize_street(text: str) -> str:
    """The comparison key of a street name: « Av. du Général-de-Gaulle » -> « avenue general gaulle »."""
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


def split_leading_number(text: str) -> tuple[int | None, str]:
    """« 12 bis rue des Lilas » -> (12, « rue des Lilas »); text without a leading number is unchanged."""
    match = LEADING_NUMBER.match(text or "")
    if not match or not text[match.end() :].strip():
        return None, text
    return int(match.group(1)), text[match.end() :]


def strip_postcode(text: str) -> str:
    """« rue des Lilas, 52200 Langres » -> « rue des Lilas »."""
    return TRAILING_POSTCODE.sub("", text or "")
