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
