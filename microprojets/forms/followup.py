"""Staff forms of the application's « versement et bilan » page: a payment, the review of the report."""

from django import forms
from django.utils import timezone

from .public import AmountField


class PaymentForm(forms.Form):
    amount = AmountField(label="Montant versé (€)")
    paid_on = forms.DateField(
        label="Date du versement",
        help_text="Par exemple 15/03/2026.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    order_reference = forms.CharField(
        label="Référence du mandat de paiement", max_length=60, help_text="Numéro du mandat ou de l’ordre de paiement."
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"paid_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise forms.ValidationError("La date du versement ne peut pas être dans le futur.")
        return paid_on


class ReportReviewForm(forms.Form):
    """Close the application, or send the report back with what is missing (shown to the applicant)."""

    decision = forms.ChoiceField(
        label="Décision sur le bilan",
        choices=[("close", "Clôturer le dossier"), ("more", "Demander un complément au bilan")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Message au porteur",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Obligatoire pour demander un complément : dites ce qui manque. Le porteur le lit sur sa page "
        "de suivi et par courriel.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "more" and not (data.get("comment") or "").strip():
            self.add_error("comment", "Indiquez ce qui manque au bilan : le porteur le lira.")
        return data
