"""Text as the site's searches compare it: without case, accents, apostrophes, hyphens or markup.

The folding is done in Python, both when a row's search text is stored and when a query is read, so that
SQLite and PostgreSQL compare the same plain strings with the same LIKE and give the same results (no
database extension such as PostgreSQL's unaccent, whose rules differ from any SQLite function).
"""

import html
import re
import unicodedata

from django.utils.html import strip_tags

# Letters and digits of any script; everything else (spaces, hyphens, apostrophes, punctuation, NUL) separates.
_WORD = re.compile(r"[^\W_]+")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})
# A French plural mark at the end of a longer query word: « vélos » also finds « vélo ».
_PLURAL = re.compile(r"(?<=\w{3})[sx]$")


def fold_words(text: str) -> list[str]:
    """« L’École d’été » -> [« l », « ecole », « d », « ete »]."""
    text = unicodedata.normalize("NFKD", (text or "").casefold().translate(_LIGATURES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _WORD.findall(text)


def html_to_text(value: str) -> str:
    """The words of rich text, without its tags and with its entities decoded."""
    return html.unescape(strip_tags(value or ""))


def search_text(*parts: str) -> str:
    """What a row stores to be searched: the folded words of its parts, each one preceded by a space.

    A query word is looked for as `" " + word`, i.e. at the start of a stored word: « velo » finds « vélos » but
    not « développement ».
    """
    return "".join(" " + word for part in parts for word in fold_words(part))


def query_words(text: str) -> list[str]:
    """The word starts that a row's search text must all contain, for a query typed by a visitor.

    Beside other words, single letters are dropped: they are mostly elided articles (« l’école », « d’été »).
    A word that starts another word of the query is dropped too: the longer one already requires it, so the
    answer is the same with fewer conditions.
    """
    words = {_PLURAL.sub("", word) for word in fold_words(text)}
    if any(len(w) > 1 or w.isdigit() for w in words):
        words = {w for w in words if len(w) > 1 or w.isdigit()}
    return sorted(
        (w for w in words if not any(w != other and other.startswith(w) for other in words)),
        key=lambda w: (-len(w), w),
    )
