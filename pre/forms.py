import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Layout, Submit
from django import forms

from langres_portal.core.forms import HoneypotMixin
from langres_portal.core.models import french_phone_validator

from .models import ContactRequest

HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>?")
WARNING_ID = "avertissement-message"
NO_TAGS = "Retirez les balises HTML (le texte entre < et >) : écrivez en texte simple."


def reject_tags(value: str) -> str:
    if HTML_TAG.search(value):
        raise forms.ValidationError(NO_TAGS)
    return value


class ContactRequestForm(HoneypotMixin, forms.ModelForm):
    """The public « demande de contact »: who you are, how to reach you, when; a short optional message."""

    preferred_moments = forms.MultipleChoiceField(
        label="Quand préférez-vous être appelé ?",
        choices=ContactRequest.Moment,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Cochez un ou plusieurs moments, en semaine. Sans réponse, l’équipe appelle quand elle peut.",
    )

    class Meta:
        model = ContactRequest
        fields = ["requester_type", "name", "phone", "email", "preferred_moments", "message"]
        labels = {
            "requester_type": "Vous êtes",
            "name": "Votre nom",
            "phone": "Votre numéro de téléphone",
            "email": "Votre adresse électronique",
            "message": "Message (facultatif)",
        }
        help_texts = {
            "name": "Nom et prénom, ou seulement le nom que vous donnerez au téléphone.",
            "phone": "Téléphone ou adresse électronique : au moins l’un des deux. Par exemple : 06 12 34 56 78.",
            "email": "Par exemple : prenom.nom@exemple.fr",
            "message": f"{ContactRequest.MESSAGE_MAX_LENGTH} caractères au maximum.",
        }
        widgets = {
            "requester_type": forms.RadioSelect,
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel", "inputmode": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "message": forms.Textarea(
                attrs={"rows": 4, "aria-describedby": "avertissement-message id_message_helptext"}
            ),
        }
        error_messages = {
            "requester_type": {"required": "Indiquez si vous êtes parent, professionnel ou autre."},
            "name": {
                "required": "Indiquez votre nom, pour que l’équipe sache qui elle appelle.",
                "max_length": "Le nom est limité à %(limit_value)d caractères (il en compte %(show_value)d).",
            },
            "email": {"invalid": "Saisissez une adresse électronique complète, par exemple prenom.nom@exemple.fr."},
            "message": {
                "max_length": "Le message est limité à %(limit_value)d caractères (il en compte %(show_value)d). "
                "Raccourcissez-le : l’équipe vous écoutera au téléphone."
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester_type"].choices = ContactRequest.RequesterType.choices  # no empty « --- » choice
        self.fields["phone"].max_length = 30
        self._describe_message()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "requester_type",
            "name",
            "phone",
            "email",
            "preferred_moments",
            HTML(
                f'<div class="alert alert-warning message-warning" id="{WARNING_ID}">'
                '<p class="fw-bold mb-1">Important</p><p class="mb-0">{{ message_warning|linebreaksbr }}</p></div>'
            ),
            Field("message", maxlength=ContactRequest.MESSAGE_MAX_LENGTH),
            Div("website", css_class="honeypot", aria_hidden="true"),
            Submit("submit", "Envoyer ma demande", css_class="btn-primary btn-lg"),
        )

    def full_clean(self):
        super().full_clean()
        self._describe_message()

    def _describe_message(self):
        """The message is described by the warning above it, then its help text and its error, if any."""
        auto_id = self["message"].auto_id
        ids = [WARNING_ID, f"{auto_id}_helptext"]
        if self._errors and "message" in self._errors:
            ids.append(f"{auto_id}_error")
        self.fields["message"].widget.attrs["aria-describedby"] = " ".join(ids)

    def clean_name(self):
        return reject_tags(self.cleaned_data["name"].strip())

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone:
            try:
                french_phone_validator(phone)
            except forms.ValidationError:
                raise forms.ValidationError(
                    "Ce numéro ne semble pas complet : saisissez 10 chiffres, par exemple 06 12 34 56 78."
                ) from None
        return phone

    def clean_message(self):
        return reject_tags(self.cleaned_data["message"].strip())

    def clean(self):
        cleaned = super().clean()
        if "website" in self.errors:
            # The honeypot's field is hidden: say it at the top of the form rather than at an invisible field.
            self.add_error(None, self.errors.pop("website"))
        if not cleaned.get("phone") and not cleaned.get("email") and not {"phone", "email"} & self.errors.keys():
            self.add_error(
                "phone",
                "Indiquez un numéro de téléphone ou une adresse électronique, pour que l’équipe puisse vous "
                "recontacter.",
            )
        return cleaned

    @property
    def honeypot_filled(self):
        return bool(self.data.get("website"))
