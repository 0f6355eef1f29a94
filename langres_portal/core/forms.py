"""Pieces shared by the public forms."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError

# Line breaks and tabs are text in a multi-line field; NUL is refused by Django's own validator, in French.
MULTILINE_ALLOWED = {"\t", "\n", "\r"}
INVALID_TEXT_MESSAGE = (
    "Ce texte contient des caractères illisibles (« \ufffd » ou caractères de contrôle invisibles), souvent "
    "laissés par un copier-coller depuis un autre logiciel. Retapez le passage concerné, puis envoyez à nouveau."
)


def invalid_characters(value: str, multiline: bool) -> list[str]:
    """The characters of `value` that no one types: U+FFFD (what Django makes of invalid UTF-8, which would be
    stored as mojibake) and control characters (C0 and C1), except tab and line breaks in a multi-line field."""
    return [
        ch
        for ch in value
        if ch == "\ufffd"
        or (unicodedata.category(ch) == "Cc" and ch != "\0" and not (multiline and ch in MULTILINE_ALLOWED))
    ]


class TextValidator:
    """Refuses text holding replacement or control characters, at its own field (see invalid_characters)."""

    def __init__(self, multiline: bool):
        self.multiline = multiline

    def __call__(self, value):
        if isinstance(value, str) and invalid_characters(value, self.multiline):
            raise ValidationError(INVALID_TEXT_MESSAGE, code="invalid_characters")

    def __eq__(self, other):
        return isinstance(other, TextValidator) and other.multiline == self.multiline


class CleanTextMixin:
    """Every text field of the form (CharField and its kinds: e-mail, phone…) refuses replacement and control
    characters; a Textarea still takes tabs and line breaks. Put it first in the bases of every public form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                # Form fields are deep-copied per form instance: this list belongs to this form only.
                field.validators.append(TextValidator(multiline=isinstance(field.widget, forms.Textarea)))


class HoneypotMixin(CleanTextMixin, forms.Form):
    """A field hidden from people (CSS and aria-hidden) that robots fill in; a filled one rejects the form.

    Public forms, so their text is checked too (CleanTextMixin)."""

    website = forms.CharField(
        label="Ne pas remplir ce champ",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError("Votre demande n’a pas pu être envoyée. Contactez le service par téléphone.")
        return ""


class EmailTemplateForm(forms.ModelForm):
    """Staff's edit of an e-mail template: refused unless it compiles and renders with the e-mail's sample data."""

    class Meta:
        from .models import EmailTemplate

        model = EmailTemplate
        fields = ["subject", "body"]

    def clean(self):
        from .emails import check_template

        cleaned = super().clean()
        if "subject" in cleaned and "body" in cleaned:
            for field, message in check_template(self.instance.key, cleaned["subject"], cleaned["body"]).items():
                self.add_error(field, message)
        return cleaned
