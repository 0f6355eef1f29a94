"""The applicant's end-of-project report: what happened, the numbers, photos (each with its permission to publish and
its text alternative) and receipts — files checked like the application's (content, size, ClamAV)."""

from django import forms
from django.core.exceptions import ValidationError

from ..models import MAX_FILES, Attachment
from .public import AttachmentsForm

IMAGE_TYPES = {"image/jpeg", "image/png"}
PHOTO_ACCEPT = ".jpg,.jpeg,.png,image/jpeg,image/png"
PHOTO_SLOTS = 4  # photos per report sent


class ReportForm(AttachmentsForm):
    """The report's text and numbers, and its receipts (« others » of AttachmentsForm, of kind « receipt »)."""

    what_happened = forms.CharField(
        label="Comment le projet s’est-il déroulé ?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Ce qui a été fait, ce qui a marché, les difficultés. 5 000 caractères au plus.",
    )
    people_reached = forms.IntegerField(
        label="Nombre de personnes touchées",
        min_value=0,
        max_value=1_000_000,
        help_text="Participants et public, en tout. Un nombre, par exemple 45.",
    )
    residents_reached = forms.IntegerField(
        label="Dont habitants des quartiers (facultatif)",
        min_value=0,
        max_value=1_000_000,
        required=False,
    )
    volunteers = forms.IntegerField(
        label="Nombre de bénévoles mobilisés (facultatif)", min_value=0, max_value=1_000_000, required=False
    )
    field_order = ["what_happened", "people_reached", "residents_reached", "volunteers", "others"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["statutes"], self.fields["quote"]
        self.fields["others"].label = "Justificatifs des dépenses (factures, tickets)"
        self.fields[
            "others"
        ].help_text = f"PDF, JPEG ou PNG ; {MAX_FILES} fichiers au plus, de 5 Mo chacun au plus. Recommandé."

    def clean(self):
        data = super().clean()
        people, residents = data.get("people_reached"), data.get("residents_reached")
        if people is not None and residents is not None and residents > people:
            self.add_error(
                "residents_reached",
                f"Les habitants des quartiers font partie des {people} personnes touchées : indiquez un nombre "
                f"égal ou inférieur à {people}.",
            )
        # The parent checked « others » as « autres pièces »: in a report they are receipts.
        self.checked = [(Attachment.Kind.RECEIPT, file, scan) for _kind, file, scan in self.checked]
        return data


class PhotoForm(AttachmentsForm):
    """One photo: JPEG or PNG checked like every file, and whether the Ville may publish it (then with its alt)."""

    photo = forms.FileField(
        label="Photo",
        required=False,
        allow_empty_file=True,  # refused by check_upload, with the file's name
        help_text="JPEG ou PNG, 5 Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    may_publish = forms.BooleanField(label="La Ville peut publier cette photo", required=False)
    alt = forms.CharField(
        label="Description de la photo",
        max_length=250,
        required=False,
        help_text="Ce que montre la photo, pour qui ne la voit pas (par exemple « Des enfants plantent des "
        "tomates dans un bac »). Obligatoire si la Ville peut la publier.",
    )
    field_order = ["photo", "may_publish", "alt"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["statutes"], self.fields["quote"], self.fields["others"]

    def clean(self):
        data = forms.Form.clean(self)  # the parent's clean() reads its own file fields
        upload = data.get("photo")
        if not upload:
            if data.get("may_publish") or data.get("alt"):
                self.add_error("photo", "Choisissez la photo que décrivent ces réponses, ou effacez-les.")
            return data
        if data.get("may_publish") and not data.get("alt"):
            self.add_error("alt", "Décrivez la photo en une phrase : la Ville la publiera avec cette description.")
        self._check("photo", upload, Attachment.Kind.PHOTO)
        for _kind, file, _scan in self.checked:
            if file.content_type not in IMAGE_TYPES:
                self.checked = []
                self.add_error(
                    "photo",
                    ValidationError(
                        f"Le fichier « {file.name} » n’est pas une photo JPEG ou PNG. Les documents PDF vont "
                        "avec les justificatifs."
                    ),
                )
        return data


def photo_forms(data=None, files=None) -> list[PhotoForm]:
    """A fixed number of photo forms (no management form a POST could forge), prefixed photo-0, photo-1…"""
    forms_ = [PhotoForm(data, files, prefix=f"photo-{i}") for i in range(PHOTO_SLOTS)]
    for number, form in enumerate(forms_, start=1):
        form.number = number
        form.fields["photo"].label = f"Photo {number}"
        form.fields["alt"].label = f"Description de la photo {number}"
    return forms_


def checked_photos(forms_) -> list[tuple]:
    """(checked file, scan, may_publish, alt) of each photo form with a valid file."""
    return [
        (file, scan, form.cleaned_data.get("may_publish", False), form.cleaned_data.get("alt", ""))
        for form in forms_
        for _kind, file, scan in form.checked
    ]
