from crispy_forms.helper import FormHelper
from django import forms

from langres_portal.core.forms import CleanTextMixin

from .normalize import NUMBER_MESSAGES, InvalidAddress, normalize_street, parse_address, parse_house_number

# normalize.InvalidAddress names the field in the words of services.lookup_address.
FIELDS = {"street": "rue", "number": "numero"}


class AddressLookupForm(CleanTextMixin, forms.Form):
    """« Mon adresse est-elle dans le quartier prioritaire ? » — sent by GET, so it works without JavaScript."""

    rue = forms.CharField(
        label="Nom de la rue (obligatoire)",
        max_length=150,
        help_text="Par exemple : rue des Lilas, ou 12 bis av. Jean Jaurès. Les accents et abréviations sont acceptés.",
        error_messages={
            "required": "Saisissez le nom de votre rue, par exemple « rue des Lilas ».",
            "max_length": "Ce nom est trop long (%(show_value)d caractères) : saisissez seulement le nom de la rue, "
            "150 caractères au plus.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "address-line1", "list": "rues-connues", "spellcheck": "false"}),
    )
    numero = forms.CharField(
        label="Numéro dans la rue (facultatif)",
        required=False,
        max_length=12,
        help_text="Utile quand une rue est partagée entre deux quartiers. Par exemple : 12, 12 bis ou 12-14.",
        error_messages={"max_length": NUMBER_MESSAGES["invalid"]},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 8}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.disable_csrf = True  # a GET form: no token, no cookie
        self.helper.form_tag = False  # the template writes the GET form and its button (no name in the URL)

    def clean_rue(self):
        value = self.cleaned_data["rue"].strip()
        if len(value) < 2:
            raise forms.ValidationError("Saisissez au moins 2 caractères du nom de la rue.")
        if not normalize_street(value):
            raise forms.ValidationError(
                "Ce nom ne contient ni lettre ni chiffre : saisissez le nom de la rue, par exemple « rue des Lilas »."
            )
        return value

    def clean_numero(self):
        try:
            return parse_house_number(self.cleaned_data["numero"])
        except InvalidAddress as error:
            raise forms.ValidationError(error.message, code=error.code) from None

    def clean(self):
        """A number may also start the street field (« 12 avenue des Glycines »): it must be readable there too."""
        data = super().clean()
        if "rue" in data and "numero" in data:
            try:
                parse_address(data["rue"], data["numero"])
            except InvalidAddress as error:
                self.add_error(FIELDS[error.field], forms.ValidationError(error.message, code=error.code))
        return data
