"""Rich text that staff edit in the admin, sanitised before it is stored and before it is shown.

One sanitiser (nh3) with one allow-list, the one the admin's editor (django-prose-editor, Tiptap) can produce:
intertitles h2/h3, paragraphs and line breaks, bold, italic, lists and links. Text typed without tags keeps its
paragraphs and line breaks. What the sanitiser removes is reported, so the admin can say it on save.
"""

import contextvars
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models
from django.utils.safestring import mark_safe
from django_prose_editor.widgets import AdminProseEditorWidget, prose_editor_admin_media, prose_editor_js
from js_asset import Media, Script

# What the editor offers; the allow-list below is derived from the same features (tests check they match).
EDITOR_EXTENSIONS = {
    "Heading": {"levels": [2, 3]},
    "Bold": True,
    "Italic": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "HardBreak": True,
    # No target (a link opens in the same tab, like the rest of the site), and only these schemes.
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "History": True,
}
ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
HELP_TEXT = (
    "Mise en forme avec la barre d’outils : intertitres, listes, liens, gras et italique. "
    "Un texte sans mise en forme garde ses paragraphes (ligne vide) et ses retours à la ligne. "
    "Scripts, styles, couleurs, polices et images sont retirés à l’enregistrement."
)

# A tag that gives a text its structure: with one of them the text is HTML already and is not wrapped again.
_BLOCK_TAG = re.compile(r"<\s*/?\s*(p|br|div|ul|ol|li|h[1-6]|table|blockquote|pre|section|article)\b", re.I)
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
# <b> and <i> (pasted HTML, old texts) are the editor's <strong> and <em>: renamed, not removed.
_OLD_BOLD_ITALIC = re.compile(r"<(/?)\s*(b|i)\b", re.I)


def text_to_html(value: str) -> str:
    """Text typed without tags (plain textarea, fixtures, paste): a blank line starts a new paragraph, a single
    line break becomes <br>. Text that already has its structure in HTML is returned as it is."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not value or _BLOCK_TAG.search(value):
        return value
    # Inline tags (<strong>, <a>…) and stray characters are left to nh3, which keeps or escapes them.
    return "".join("<p>" + "<br>".join(para.split("\n")) + "</p>" for para in _BLANK_LINE.split(value))


def _prepare(value: str) -> str:
    html = text_to_html(value)
    return _OLD_BOLD_ITALIC.sub(lambda m: f"<{m[1]}{'strong' if m[2].lower() == 'b' else 'em'}", html)


def _drop_empty(tag, attribute, value):
    """An empty attribute (the editor's link dialog leaves title="") says nothing: dropped."""
    return value if value.strip() else None


def _clean(value: str) -> str:
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        attribute_filter=_drop_empty,
    ).strip()


def _sanitize(prepared: str) -> str:
    cleaned = _clean(prepared)
    if cleaned and not _BLOCK_TAG.search(cleaned):
        # What looked like structure was not (« <<p »): the text left is wrapped, as typed text is.
        cleaned = _clean(text_to_html(cleaned))
    return cleaned


def sanitize_html(value: str) -> str:
    """Keep structure and links, drop scripts, styles, event handlers and unsafe URLs."""
    if not value:
        return ""
    return _sanitize(_prepare(value))


class _Inventory(HTMLParser):
    """Counts the tags, the attributes of allowed tags, and the comments of an HTML text."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.comments = Counter(), Counter(), 0
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        if tag in ALLOWED_TAGS:  # an empty attribute did nothing: its removal is not worth a word
            self.attributes.update(name for name, value in attrs if value and value.strip())

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data):
        self.comments += 1

    def handle_decl(self, decl):
        self.comments += 1  # <!DOCTYPE …>, <![if …]> in pasted Word HTML

    def unknown_decl(self, data):
        self.comments += 1


@dataclass
class SanitizerReport:
    """What sanitising a text removed: tags (with their content for <script>, <style>…), attributes of kept
    tags (event handlers, styles, unsafe URLs), comments."""

    tags: Counter = field(default_factory=Counter)
    attributes: Counter = field(default_factory=Counter)
    comments: int = 0

    def __bool__(self):
        return bool(self.tags or self.attributes or self.comments)

    def describe(self) -> str:
        """« balise <script> retirée, 2 attributs onclick retirés » (French, for the staff)."""
        parts = [
            f"balise <{tag}> retirée" if n == 1 else f"{n} balises <{tag}> retirées"
            for tag, n in sorted(self.tags.items())
        ]
        parts += [
            f"attribut {name} retiré" if n == 1 else f"{n} attributs {name} retirés"
            for name, n in sorted(self.attributes.items())
        ]
        if self.comments:
            parts.append("commentaire retiré" if self.comments == 1 else f"{self.comments} commentaires retirés")
        return ", ".join(parts)


def sanitize_report(value: str) -> tuple[str, SanitizerReport]:
    """The sanitised text, and what was removed, by comparing the tags and attributes before and after."""
    if not value:
        return "", SanitizerReport()
    prepared = _prepare(value)
    cleaned = _sanitize(prepared)
    before, after = _Inventory(prepared), _Inventory(cleaned)
    return cleaned, SanitizerReport(
        tags=before.tags - after.tags,
        attributes=before.attributes - after.attributes,
        comments=max(before.comments - after.comments, 0),
    )


# While an admin request runs (core.middleware.SanitizerReportMiddleware), the reports of the texts it saves.
sanitizer_reports: contextvars.ContextVar[list | None] = contextvars.ContextVar("sanitizer_reports", default=None)


class RichText(str):
    """A sanitised HTML string; templates print it without escaping."""

    def __html__(self):
        return mark_safe(self)


class RichTextAdminWidget(AdminProseEditorWidget):
    """django-prose-editor started by our own module (static/js/richtext-editor.js): its presets let Tiptap
    inject a <style> element, which the strict CSP refuses."""

    def __init__(self, attrs=None):
        super().__init__(attrs, config={"extensions": EDITOR_EXTENSIONS}, preset="richtext")

    @property
    def media(self):
        return prose_editor_admin_media + Media(
            css={"all": ["css/richtext-editor.css"]},
            js=["js/richtext-editor-fr.js", prose_editor_js, Script("js/richtext-editor.js", type="module")],
        )


class RichTextField(models.TextField):
    """HTML from staff; sanitised on save, so what is stored is already safe to render."""

    def from_db_value(self, value, expression, connection):
        return RichText(value) if value is not None else value

    def to_python(self, value):
        value = super().to_python(value)
        return RichText(value) if value is not None else value

    def pre_save(self, model_instance, add):
        value, report = sanitize_report(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, RichText(value))
        reports = sanitizer_reports.get()
        if report and reports is not None:
            reports.append((self.verbose_name, report))  # a save that fails after this raises: no message shown
        return value

    def formfield(self, **kwargs):
        # The admin asks every TextField for its AdminTextareaWidget: there, the editor replaces it.
        widget = kwargs.get("widget")
        if widget is AdminTextareaWidget or isinstance(widget, AdminTextareaWidget):
            kwargs["widget"] = RichTextAdminWidget
        kwargs.setdefault("help_text", " ".join(filter(None, [self.help_text, HELP_TEXT])))
        return super().formfield(**kwargs)
