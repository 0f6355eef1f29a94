"""Pieces shared by the public forms."""

from django import forms


class HoneypotMixin(forms.Form):
    """A field hidden from people (CSS and aria-hidden) that robots fill in; a filled one rejects the form."""

    website = forms.CharField(
        label="Ne pas remplir ce champ",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError("Votre demande n’a pas pu être envoyée. Contactez le service par téléphone.")
        return ""
