"""The instructors' small forms on an application's admin page (moves, assignment, messages, notes) and on a call.

None of them sets a status: a move form only names the target, which services.moves.move() checks.
"""

from django import forms

from .. import workflow
from ..models import ReplyTemplate


def text_field(label, help_text="", required=True, rows=4):
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        strip=True,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": f"Écrivez le texte : « {label} » est vide.",
            "max_length": "5 000 caractères au plus (le texte en compte %(show_value)d).",
        },
    )


class MoveForm(forms.Form):
    """One button of the page: the target status, the comment shown to the applicant, the version the page saw."""

    target = forms.ChoiceField(choices=workflow.Status.choices)
    comment = text_field("Commentaire", required=False)
    expected_version = forms.IntegerField(min_value=0)

    def error_text(self) -> str:
        if "target" in self.errors or "expected_version" in self.errors:
            return "Ce changement de statut n’est pas proposé pour ce dossier : rechargez la page."
        return " ".join(self.errors.get("comment", []))


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(
        label="Instructeur chargé du dossier",
        queryset=None,
        required=False,
        empty_label="Personne",
        error_messages={"invalid_choice": "Choisissez un instructeur de la liste."},
    )

    def __init__(self, *args, instructors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = instructors
        self.fields["assigned_to"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class ReplyTemplateChoiceForm(forms.Form):
    """GET: fill the message field with one of the reply templates staff edit."""

    modele = forms.ModelChoiceField(
        label="Partir d’un modèle de réponse",
        queryset=ReplyTemplate.objects.all(),
        required=False,
        empty_label="Aucun modèle",
    )


class MessageForm(forms.Form):
    text = text_field(
        "Message au porteur",
        "Affiché sur sa page de suivi ; un courriel l’invite à le lire. 5 000 caractères au plus.",
        rows=6,
    )


class NoteForm(forms.Form):
    text = text_field("Note interne", "Visible des seuls agents : jamais montrée ni envoyée au porteur.", rows=3)


class CallMessageForm(forms.Form):
    text = text_field(
        "Message à tous les porteurs de l’appel",
        "Affiché sur la page de suivi de chaque dossier ; chaque porteur reçoit son propre courriel, qui ne montre "
        "l’adresse d’aucun autre. 5 000 caractères au plus.",
        rows=8,
    )
    include_finished = forms.BooleanField(
        label="Écrire aussi aux dossiers terminés (clôturés, non retenus, retirés, classés sans suite, non réalisés)",
        required=False,
    )
