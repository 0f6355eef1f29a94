"""The committee page's forms (admin): put an application on the agenda, record votes, propose a decision.

They only read what was typed; the rules (presence, one vote, quorum, amounts, envelope) are the service's
(services.committee), whose French messages the view puts back at the field.
"""

from django import forms

from ..models import AgendaItem, Vote
from ..services import committee as services


class AgendaAddForm(forms.Form):
    application = forms.ModelChoiceField(
        label="Dossier à inscrire",
        queryset=None,
        empty_label="Choisissez un dossier",
        error_messages={
            "required": "Choisissez le dossier à inscrire à l’ordre du jour.",
            "invalid_choice": "Ce dossier ne peut pas être inscrit à cette séance : rechargez la page.",
        },
        help_text="Dossiers en instruction ou ajournés des appels examinés par la séance.",
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = services.agenda_candidates(session)
        self.fields["application"].label_from_instance = lambda a: f"{a.reference} – {a.title} ({a.organisation_name})"


class VotesForm(forms.Form):
    """One radio group per present member who has not voted on this application yet; a blank one is skipped."""

    def __init__(self, *args, item, voters, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        for member in voters:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=f"Vote de {member.name}",
                choices=Vote.Choice.choices,
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": "Choisissez pour, contre, abstention ou conflit d’intérêts."},
            )
            self.fields[f"member_{member.pk}"].member = member

    def clean(self):
        data = super().clean()
        self.votes = {int(name.removeprefix("member_")): value for name, value in data.items() if value}
        if not self.errors and not self.votes:
            raise forms.ValidationError("Cochez au moins un vote avant d’enregistrer.")
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision proposée",
        choices=AgendaItem.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez la décision proposée : retenir, ne pas retenir ou ajourner."},
    )
    amount = forms.CharField(
        label="Montant accordé (€)",
        required=False,
        max_length=20,
        help_text="Si le dossier est retenu : au plus le montant demandé et le maximum de l’appel.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 10}),
    )
    reason = forms.CharField(
        label="Motif (communiqué au porteur)",
        required=False,
        max_length=2000,
        help_text="Obligatoire pour un refus.",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
    )

    def clean_amount(self):
        value = self.cleaned_data["amount"].strip()
        try:
            return services.parse_amount(value)
        except services.CommitteeError as error:
            raise forms.ValidationError(error.message) from None
