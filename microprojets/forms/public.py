"""The public application form: porteur, project, budget (two formsets), files; and the small forms around it."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from langres_portal.core.forms import CleanTextMixin, HoneypotMixin

from .. import antivirus, eligibility
from ..files import CheckedFile, check_upload
from ..models import MAX_FILES, Application, Attachment, PorteurKind

EURO_HELP = "En euros, par exemple 150 ou 89,90."


def siret_is_valid(value: str) -> bool:
    """The Luhn check of a SIRET (14 digits)."""
    total = 0
    for i, char in enumerate(reversed(value)):
        digit = int(char)
        if i % 2:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return total % 10 == 0


# Characters Django's validator accepts inside a quoted local part (« "a,b"@x.fr ») that no one types in an
# address, and that a mail program could read as a second address, a display name or a header.
UNSAFE_EMAIL_CHARACTERS = set('"\\,;<>()[]') | {chr(c) for c in range(32)} | {"\x7f"}
EMAIL_MESSAGE = "Saisissez une seule adresse électronique valide, par exemple nom@exemple.fr."


def validate_plain_email(value: str) -> None:
    """One plain address: Django's EmailValidator, without quoted parts, separators or control characters."""
    if set(value) & UNSAFE_EMAIL_CHARACTERS:
        raise ValidationError(EMAIL_MESSAGE, code="invalid")
    validate_email(value)


def only_digits(value: str) -> str:
    return "".join(value.split()).replace(".", "").replace("-", "")


PILLAR_UNSURE = "Je ne sais pas : le service choisira avec moi"
# The fields that concern one kind of porteur only: shown for it (form.js), ignored for the others (clean).
FIELDS_BY_KIND = {
    PorteurKind.ASSOCIATION: ["rna", "siret"],
    PorteurKind.COLLECTIF: ["residents_count"],
}


class ApplicationForm(HoneypotMixin, forms.ModelForm):
    """Porteur and project. The call is given by the view; business rules needing the budget are in Submission."""

    # Longer than the stored 14 digits: people type spaces, removed by clean_siret.
    siret = forms.CharField(
        label="Numéro SIRET de l’association",
        max_length=20,
        required=False,
        help_text="14 chiffres, si votre association en a un.",
    )

    class Meta:
        model = Application
        fields = Application.PORTEUR_FIELDS + Application.PROJECT_FIELDS
        labels = {
            "porteur_kind": "Vous déposez ce projet en tant que",
            "organisation_name": "Nom de l’association, du collectif ou de la structure qui vous accompagne",
            "rna": "Numéro RNA de l’association",
            "siret": "Numéro SIRET de l’association",
            "residents_count": "Nombre d’habitants impliqués dans le collectif",
            "first_name": "Prénom",
            "last_name": "Nom",
            "role": "Votre rôle dans le projet",
            "email": "Adresse électronique",
            "phone": "Téléphone",
            "address": "Adresse postale",
            "title": "Titre du projet",
            "summary": "Résumé du projet",
            "description": "Description du projet",
            "objectives": "Objectifs",
            "audience": "Public visé",
            "participants_count": "Nombre de participants attendus",
            "quartier": "Quartier concerné",
            "place": "Lieu où se déroule le projet",
            "starts_on": "Date de début",
            "ends_on": "Date de fin",
            "pillar": "Dans quel domaine est votre projet ?",
        }
        help_texts = {
            "organisation_name": "Tel qu’il figure dans vos statuts, ou le nom que se donne votre collectif.",
            "rna": "Associations : W suivi de 9 chiffres (sur le récépissé de la préfecture). RNA ou SIRET, "
            "au moins l’un des deux.",
            "siret": "14 chiffres, si votre association en a un.",
            "residents_count": "Pour un collectif d’habitants seulement.",
            "role": "Par exemple : président, trésorière, membre du collectif.",
            "email": "Nous y envoyons l’accusé de réception et le lien de suivi de votre dossier. "
            "Format : nom@exemple.fr",
            "phone": "Un numéro français, par exemple 06 12 34 56 78.",
            "address": "Numéro, rue, code postal et ville.",
            "title": "En quelques mots, 150 caractères au plus.",
            "summary": "500 caractères au plus : il sera lu par le comité de sélection.",
            "description": "Ce que vous allez faire, avec qui, comment. 5 000 caractères au plus.",
            "objectives": "Ce que le projet doit apporter aux habitants. 3 000 caractères au plus.",
            "audience": "Par exemple : familles du quartier, jeunes de 11 à 15 ans.",
            "quartier": "Le projet doit bénéficier aux habitants de ce quartier.",
            "place": "Adresse ou lieu (salle, square, école…).",
            "starts_on": "Format : jj/mm/aaaa, par exemple 15/06/2027. Elle ne peut pas être passée.",
            "ends_on": "Format : jj/mm/aaaa. Égale ou postérieure à la date de début.",
            "pillar": "Le contrat de ville classe les actions en trois grands domaines, qu’il appelle « piliers ». "
            "Choisissez celui qui ressemble le plus à votre projet. Si vous hésitez, le service choisira avec vous.",
        }
        error_messages = {
            "email": {"invalid": EMAIL_MESSAGE},
        }
        widgets = {
            "porteur_kind": forms.RadioSelect,
            "pillar": forms.RadioSelect,
            "address": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "objectives": forms.Textarea(attrs={"rows": 4}),
            # Text, not type=date: the same « jj/mm/aaaa » for every browser, keyboard and screen reader.
            "starts_on": forms.DateInput(format="%d/%m/%Y"),
            "ends_on": forms.DateInput(format="%d/%m/%Y"),
        }

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        from contrat_ville.models import Pillar
        from quartiers.models import Quartier

        self.fields["quartier"].queryset = Quartier.objects.published()
        self.fields["quartier"].required = True
        self.fields["quartier"].empty_label = "Choisissez un quartier"
        self.fields["pillar"].queryset = Pillar.objects.all()
        # Nobody outside the service knows the pillars by heart: « I don't know » is an answer (stored empty).
        self.fields["pillar"].required = False
        self.fields["pillar"].empty_label = PILLAR_UNSURE
        self.fields["porteur_kind"].choices = PorteurKind.choices
        self.fields["starts_on"].input_formats = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
        self.fields["ends_on"].input_formats = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
        today = timezone.localdate().isoformat()
        for name in ("starts_on", "ends_on"):  # the calendar beside the typed date (static/js/calendar.js)
            self.fields[name].widget.attrs.update(
                {
                    "data-calendar": "Choisir dans le calendrier",
                    "data-calendar-label": f"Calendrier : {self.fields[name].label}",
                    "data-calendar-previous": "Mois précédent",
                    "data-calendar-next": "Mois suivant",
                    "data-calendar-min": today,  # neither date can be past (clean() says so too)
                }
            )
        autocomplete = {
            "organisation_name": "organization",
            "first_name": "given-name",
            "last_name": "family-name",
            "role": "organization-title",
            "email": "email",
            "phone": "tel",
            "address": "street-address",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["email"].validators = [validate_plain_email]  # includes Django's, one message
        self.fields["phone"].widget.input_type = "tel"
        self.fields["rna"].widget.attrs.update({"spellcheck": "false", "autocapitalize": "characters"})
        self.fields["siret"].widget.attrs.update({"inputmode": "numeric", "spellcheck": "false"})
        for name in ("residents_count", "participants_count"):
            self.fields[name].widget.attrs["min"] = 1
        for kind, names in FIELDS_BY_KIND.items():
            for name in names:
                self.fields[name].widget.attrs["data-porteur-kind"] = kind
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset("Le porteur du projet", *Application.PORTEUR_FIELDS, css_id="porteur"),
            Fieldset("Le projet", *Application.PROJECT_FIELDS, css_id="projet"),
        )

    def clean_rna(self):
        return self.cleaned_data["rna"].strip().upper()

    def clean_siret(self):
        value = only_digits(self.cleaned_data["siret"])
        if value and (len(value) != 14 or not value.isdigit()):
            raise ValidationError("Le SIRET compte 14 chiffres, par exemple 200 072 999 00010.")
        if value and not siret_is_valid(value):
            raise ValidationError("Ce numéro SIRET n’existe pas (un chiffre est sans doute mal recopié).")
        return value

    def clean_starts_on(self):
        value = self.cleaned_data["starts_on"]
        if value and value < timezone.localdate():
            raise ValidationError("La date de début ne peut pas être passée : indiquez une date à venir.")
        return value

    def clean(self):
        data = super().clean()
        kind = data.get("porteur_kind")
        # What belongs to another kind of porteur is dropped (typed before changing the choice, then hidden).
        if kind and kind != PorteurKind.ASSOCIATION:
            data["rna"] = data["siret"] = ""
            self.errors.pop("rna", None)
            self.errors.pop("siret", None)
        if kind and kind != PorteurKind.COLLECTIF:
            data["residents_count"] = None
            self.errors.pop("residents_count", None)
        if kind == PorteurKind.ASSOCIATION and not data.get("rna") and not data.get("siret"):
            if "rna" not in self.errors and "siret" not in self.errors:
                self.add_error("rna", "Pour une association, indiquez le numéro RNA ou le SIRET.")
        if kind == PorteurKind.COLLECTIF and not data.get("residents_count"):
            self.add_error("residents_count", "Pour un collectif, indiquez combien d’habitants sont impliqués.")
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "La date de fin doit être égale ou postérieure à la date de début.")
        return data

    def _post_clean(self):
        # The model's check constraints need the amount and the reference, set later: validate fields only.
        try:
            self.instance = forms.models.construct_instance(self, self.instance, self._meta.fields)
            self.instance.full_clean(exclude=self._get_validation_exclusions(), validate_constraints=False)
        except ValidationError as e:
            self._update_errors(e)


class AmountField(forms.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(
            max_digits=10,
            decimal_places=2,
            min_value=Decimal("0.01"),
            localize=True,
            error_messages={
                "invalid": "Saisissez un montant en chiffres, par exemple 150 ou 89,90.",
                "min_value": "Le montant doit être supérieur à 0 €.",
                "max_decimal_places": "Deux chiffres après la virgule au plus (les centimes).",
                "max_digits": "Ce montant est trop grand.",
                "max_whole_digits": "Ce montant est trop grand.",
            },
            **kwargs,
        )
        self.widget.attrs.update({"inputmode": "decimal", "class": "js-amount"})


class BudgetLineForm(CleanTextMixin, forms.Form):
    label = forms.CharField(label="Intitulé", max_length=200, required=False)
    amount = AmountField(label="Montant (€)", required=False)

    def clean(self):
        data = super().clean()
        if data.get("label") and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", "Indiquez le montant de cette ligne, ou effacez son intitulé.")
        if data.get("amount") is not None and not data.get("label"):
            self.add_error("label", "Indiquez à quoi correspond ce montant.")
        return data


class BaseBudgetFormSet(forms.BaseFormSet):
    """Budget lines; services.budget_data() builds their management form, `problem` says what it found wrong."""

    max_lines = 20
    problem: str | None = None

    def clean(self):
        if self.problem:
            raise ValidationError(self.problem, code="budget_lines")

    def lines(self):
        return [f.cleaned_data for f in self.forms if getattr(f, "cleaned_data", None) and f.cleaned_data.get("label")]

    def total(self):
        return sum((line["amount"] for line in self.lines() if line.get("amount")), Decimal(0))


LINES = BaseBudgetFormSet.max_lines
ExpenseFormSet = forms.formset_factory(
    BudgetLineForm, formset=BaseBudgetFormSet, extra=6, max_num=LINES, absolute_max=LINES
)
ResourceFormSet = forms.formset_factory(
    BudgetLineForm, formset=BaseBudgetFormSet, extra=4, max_num=LINES, absolute_max=LINES
)


class BudgetForm(forms.Form):
    amount_requested = AmountField(
        label="Montant demandé à la Ville (€)",
        help_text="C’est une de vos ressources. " + EURO_HELP,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        # An empty file is refused by check_upload, with its name: one empty file must not hide the others.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


# The kinds of file an application has one of; « others » may be several.
SINGLE_KINDS = {Attachment.Kind.STATUTES, Attachment.Kind.QUOTE}
FILE_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class AttachmentsForm(CleanTextMixin, forms.Form):
    """The files: checked by content, size and antivirus; `kept` are the ones already stored with the draft."""

    statutes = forms.FileField(
        label="Statuts de l’association",
        required=False,
        help_text="Obligatoire pour une association. PDF, JPEG ou PNG, 5 Mo au plus.",
        allow_empty_file=True,  # refused by check_upload, with the file's name
        widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT, "data-porteur-kind": PorteurKind.ASSOCIATION}),
    )
    quote = forms.FileField(
        label="Devis ou estimation des dépenses",
        required=False,
        help_text="Recommandé. PDF, JPEG ou PNG, 5 Mo au plus.",
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT}),
    )
    others = MultipleFileField(
        label="Autres pièces (facultatif)",
        required=False,
        help_text="Plusieurs fichiers possibles. En tout, 5 fichiers au plus, de 5 Mo chacun au plus.",
        widget=MultipleFileInput(attrs={"accept": FILE_ACCEPT}),
    )
    remove = forms.MultipleChoiceField(
        label="Retirer ces fichiers", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, kept=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kept = list(kept)
        self.fields["remove"].choices = [(str(a.pk), a.original_name) for a in self.kept]
        if not self.kept:
            del self.fields["remove"]
        self.checked: list[tuple[str, CheckedFile, tuple[str, str]]] = []  # (kind, file, scan)

    def _check(self, name, upload, kind):
        scan = {}

        def antivirus_scan(file_name, content):
            try:
                clean, answer = antivirus.scan_bytes(content)
            except antivirus.ScanUnavailable:
                scan["result"] = (Attachment.ScanStatus.PENDING, "")
                return
            if not clean:
                raise ValidationError(
                    f"Le fichier « {file_name} » contient un virus ({answer}) : il a été refusé. "
                    "Analysez votre ordinateur, puis envoyez une autre copie du document."
                )
            scan["result"] = (Attachment.ScanStatus.CLEAN, answer)

        try:
            checked = check_upload(upload, scan=antivirus_scan)
        except ValidationError as exc:
            self.add_error(name, exc)
            return
        self.checked.append((kind, checked, scan["result"]))

    def clean(self):
        data = super().clean()
        removed = set(data.get("remove") or [])
        self.remaining = [a for a in self.kept if str(a.pk) not in removed]
        uploads = [("statutes", data.get("statutes"), Attachment.Kind.STATUTES)]
        uploads.append(("quote", data.get("quote"), Attachment.Kind.QUOTE))
        uploads += [("others", f, Attachment.Kind.OTHER) for f in data.get("others") or []]
        uploads = [u for u in uploads if u[1]]
        # A new statutes or quote file replaces the one kept from an older save: a draft never piles them up.
        replaced = {kind for _n, _u, kind in uploads if kind in SINGLE_KINDS}
        total = len(uploads) + len([a for a in self.remaining if a.kind not in replaced])
        if total > MAX_FILES:
            self.add_error(
                "others",
                f"Vous avez joint {total} fichiers : {MAX_FILES} au plus. "
                "Regroupez des pages dans un seul PDF ou retirez un fichier.",
            )
            return data
        for name, upload, kind in uploads:
            self._check(name, upload, kind)
        accepted = {kind for kind, _f, _s in self.checked if kind in SINGLE_KINDS}
        self.remaining = [a for a in self.remaining if a.kind not in accepted]
        return data

    def kinds(self):
        """The kinds of files the application will have if this form is saved."""
        return {a.kind for a in getattr(self, "remaining", self.kept)} | {kind for kind, _f, _s in self.checked}


class ComplementForm(AttachmentsForm):
    """What the service asked for: a message and files, checked like the application's files."""

    message = forms.CharField(
        label="Votre message au service",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Répondez à la demande du service. 5 000 caractères au plus.",
    )
    field_order = ["message", "others"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["statutes"], self.fields["quote"]
        self.fields["others"].label = "Documents demandés (facultatif)"
        self.fields["others"].help_text = "PDF, JPEG ou PNG ; 5 fichiers au plus, de 5 Mo chacun au plus."


class EngagementForm(forms.Form):
    engagement = forms.BooleanField(
        label="Je certifie que les informations de ce dossier sont exactes et que je suis autorisé(e) à "
        "déposer cette demande au nom du porteur du projet.",
        error_messages={"required": "Cochez la case pour certifier les informations avant d’envoyer le dossier."},
    )


class PlainEmailField(forms.EmailField):
    default_validators = [validate_plain_email]


class ResendLinkForm(HoneypotMixin, forms.Form):
    email = PlainEmailField(
        label="Adresse électronique utilisée pour le dossier",
        help_text="Format : nom@exemple.fr",
        error_messages={"invalid": EMAIL_MESSAGE},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class YesNo(forms.ChoiceField):
    def __init__(self, label, **kwargs):
        super().__init__(
            label=label,
            choices=[("oui", "Oui"), ("non", "Non"), ("nsp", "Je ne sais pas")],
            widget=forms.RadioSelect,
            error_messages={"required": "Choisissez une réponse."},
            **kwargs,
        )


class EligibilityForm(CleanTextMixin, forms.Form):
    collective = YesNo("Le projet est-il porté par plusieurs personnes (association, collectif d’habitants) ?")
    non_profit = YesNo("Le projet est-il sans but lucratif (personne n’en tire un bénéfice) ?")
    residents = YesNo("Le projet profite-t-il aux habitants d’un quartier de la politique de la ville ?")
    dates = YesNo("Le projet aura-t-il lieu après la date du prochain comité de sélection ?")
    amount = forms.DecimalField(
        label="Montant que vous pensez demander à la Ville (€)",
        required=False,
        min_value=Decimal("0"),
        max_digits=10,
        decimal_places=2,
        localize=True,
        help_text="Facultatif. " + EURO_HELP,
        error_messages={"invalid": "Saisissez un montant en chiffres, par exemple 800."},
    )
    street = forms.CharField(
        label="Rue où se déroule le projet",
        required=False,
        max_length=200,
        help_text="Facultatif : nous vous disons si elle est dans un quartier concerné.",
    )
    number = forms.CharField(
        label="Numéro dans la rue",
        required=False,
        max_length=20,
        help_text="Facultatif. Par exemple : 12, 12 bis ou 12-14.",
        error_messages={"max_length": "Saisissez un numéro de 1 à 99999, par exemple 12, 12 bis ou 12-14."},
        widget=forms.TextInput(attrs={"size": 8}),
    )

    def clean(self):
        data = super().clean()
        if "street" in data and "number" in data:
            for field, message in eligibility.address_errors(data["street"], data["number"]).items():
                self.add_error(field, message)
        return data


class WithdrawForm(CleanTextMixin, forms.Form):
    """The applicant withdraws the application from the tracking page; the version is the page's."""

    reason = forms.CharField(
        label="Pourquoi retirez-vous votre demande ? (facultatif)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Transmis au service. 2 000 caractères au plus.",
    )
    expected_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
