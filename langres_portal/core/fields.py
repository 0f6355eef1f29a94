"""Rich text that staff edit in the admin, sanitised before it is stored and before it is shown."""

import nh3
from django.db import models
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "a", "h2", "h3", "h4",
    "blockquote", "abbr", "span", "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "span": {"lang"},
    "p": {"lang"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}


def sanitize_html(value: str) -> str:
    """Keep structure and links, drop scripts, styles, event handlers and unsafe URLs."""
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener",
    ).strip()


class RichText(str):
    """A sanitised HTML string; templates print it without escaping."""

    def __html__(self):
        return mark_safe(self)


class RichTextField(models.TextField):
    """HTML from staff; sanitised on save, so what is stored is already safe to render."""

    def from_db_value(self, value, expression, connection):
        return RichText(value) if value is not None else value

    def to_python(self, value):
        value = super().to_python(value)
        return RichText(value) if value is not None else value

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, RichText(value))
        return value

    def formfield(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            (self.help_text or "")
            + " Texte en HTML simple : paragraphes <p>, listes <ul>/<li>, liens <a href>, intertitres <h2>/<h3>. "
            "Les scripts et styles sont retirés à l’enregistrement.",
        )
        return super().formfield(**kwargs)
