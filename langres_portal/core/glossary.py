"""Explain the policy's words where they first appear on a page: QPV becomes a link to /glossaire/#qpv around
<abbr title="quartier prioritaire de la politique de la ville">QPV</abbr>, « pilier » a link to /glossaire/#pilier.

The texts are parsed as HTML (the standard library's tokenizer, on text already sanitised by core.fields), and
only the text between tags is searched: attributes, links, acronyms already marked and headings are left as they
are, and every piece of text written back is escaped again, so no term (nor its definition) can inject markup.
The terms are read once per request and remembered on it, with the terms already explained on this page.
"""

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .models import GlossaryTerm

# Text inside these elements is never marked: a link in a link is invalid, a heading is not where a word is
# explained, form controls and code must stay what they are.
SKIPPED = {"a", "abbr", "dfn", "h1", "h2", "h3", "h4", "h5", "h6", "button", "label", "option", "select",
           "textarea", "script", "style", "code", "pre", "title"}  # fmt: skip
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
WORD_END = r"(?!\w)"
WORD_START = r"(?<!\w)"


def term_pattern(term: GlossaryTerm) -> str:
    """An acronym as written (case counts: « PRE » is not « pré »); a term in any case, each word maybe plural."""
    if term.abbreviation:
        return WORD_START + re.escape(term.abbreviation.strip()) + WORD_END
    words = [re.escape(word) + "(?:s|x)?" for word in term.term.split()]
    return WORD_START + "(?i:" + r"\s+".join(words) + ")" + WORD_END


@dataclass
class Glossary:
    """The published terms, and the ones this page has already explained."""

    terms: list
    url: str
    seen: set = field(default_factory=set)

    def __post_init__(self):
        usable = [t for t in self.terms if (t.abbreviation or t.term).strip()]
        # Longest first: « conseil citoyen » is found before « conseil » would be.
        usable.sort(key=lambda t: len(t.abbreviation or t.term), reverse=True)
        self.by_group = {f"t{i}": term for i, term in enumerate(usable)}
        pattern = "|".join(f"(?P<{name}>{term_pattern(term)})" for name, term in self.by_group.items())
        self.regex = re.compile(pattern) if pattern else None

    def mark_text(self, text: str) -> str:
        """Plain text → escaped HTML with the first occurrence of each term not yet explained marked."""
        if self.regex is None or len(self.seen) == len(self.by_group):
            return escape(text, quote=False)
        out, last = [], 0
        for match in self.regex.finditer(text):
            term = self.by_group[match.lastgroup]
            if term.slug in self.seen:
                continue
            self.seen.add(term.slug)
            out.append(escape(text[last : match.start()], quote=False))
            out.append(self.markup(term, match.group()))
            last = match.end()
        out.append(escape(text[last:], quote=False))
        return "".join(out)

    def markup(self, term, found: str) -> str:
        href = escape(f"{self.url}#{term.slug}")
        if term.abbreviation:
            inner = f'<abbr title="{escape(term.term)}">{escape(found, quote=False)}</abbr>'
        else:
            inner = escape(found, quote=False)
        return f'<a class="glossary-term" href="{href}">{inner}</a>'

    def mark(self, value) -> str:
        """Safe HTML (a rich text) or plain text (escaped first) → safe HTML with terms marked."""
        if value is None or value == "":
            return ""
        if not hasattr(value, "__html__"):
            return mark_safe(self.mark_text(str(value)))
        marker = _Marker(self)
        marker.feed(str(value))
        marker.close()
        return mark_safe("".join(marker.out))


class _Marker(HTMLParser):
    """Writes the HTML back as it came, tag by tag, with the text between tags marked (or escaped again)."""

    def __init__(self, glossary):
        super().__init__(convert_charrefs=True)
        self.glossary, self.out, self.open = glossary, [], []

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data):
        if any(tag in SKIPPED for tag in self.open):
            self.out.append(escape(data, quote=False))
        else:
            self.out.append(self.glossary.mark_text(data))

    def handle_comment(self, data):
        pass  # the sanitiser already drops comments; nothing to show


def for_request(request) -> Glossary | None:
    """The glossary of this request: one query, the first time a text of the page asks for it."""
    if request is None:
        return None
    glossary = getattr(request, "_glossary", None)
    if glossary is None:
        glossary = Glossary(terms=list(GlossaryTerm.objects.published()), url=reverse("glossary"))
        request._glossary = glossary
    return glossary


def mark(request, value):
    """The value as safe HTML, its terms explained if there is a request (pages), unchanged otherwise (e-mails)."""
    glossary = for_request(request)
    if glossary is None:
        return conditional_escape(value if value is not None else "")
    return glossary.mark(value)
