"""The application form as one bundle: the form, both budget formsets, the amount and the files, validated together.

Also what a draft keeps of a posted form, and how a stored draft is read back.
"""

import json
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxLengthValidator

from ..formats import euros
from ..models import Application, Attachment, Call, PorteurKind
from .public import ApplicationForm, AttachmentsForm, BaseBudgetFormSet, BudgetForm, ExpenseFormSet, ResourceFormSet

BUDGET_PREFIXES = {"depenses": "Dépenses", "ressources": "Ressources"}
# Longer than any amount a person types (« 1 500,00 € »): a longer one is garbage, not worth storing whole.
AMOUNT_MAX_CHARS = 30
# Choices, numbers, dates and ids: nothing legitimate is longer.
SHORT_FIELD_MAX_CHARS = 30
LINE_KEY = re.compile(r"(?P<prefix>[a-z]+)-(?P<index>[0-9]+)-(?P<field>label|amount)", re.ASCII)
# Errors that keep a draft from being stored: what would be cut or sent somewhere. The others (missing fields,
# dates, the budget's balance) are what a draft is for: finishing later.
# Unreadable characters (core.forms.TextValidator) too: a draft never stores mojibake, and the check would hide the
# field's other errors (the model's length limit is not checked on a field that already has an error). And NUL
# (Django's own validator), which PostgreSQL's jsonb cannot hold at all.
STORAGE_ERROR_CODES = {"max_length", "too_big", "budget_lines", "invalid_characters", "null_characters_not_allowed"}


def text(value) -> str:
    """A stored or posted value as text: whatever a draft saved before (numbers, lists, null) reads as a string."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None or isinstance(value, list | dict):
        return ""
    return str(value)


def read_count(value) -> int | None:
    """A management form's count as the browser sends it (ASCII digits), or None when it is not one."""
    value = text(value).strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 6 else None


def budget_data(data, prefix: str, extra: int) -> tuple[dict, str | None]:
    """The budget lines of `prefix` read from any data, with a management form of our own; and what is wrong.

    The posted count of lines is never trusted: a missing, unreadable, negative or huge one would otherwise hide
    the lines typed (Django reads no line) or break the page. The lines are read where they are, up to the maximum.
    """
    limit = BaseBudgetFormSet.max_lines
    rows, beyond = {}, False
    for key in list(data.keys()) if hasattr(data, "keys") else []:
        match = LINE_KEY.fullmatch(key) if isinstance(key, str) else None
        if match is None or match["prefix"] != prefix or not text(data.get(key)).strip():
            continue
        index = int(match["index"])
        if index >= limit:
            beyond = True
        else:
            rows[index] = True
    count = max([extra, *(i + 1 for i in rows)])
    posted = read_count(data.get(f"{prefix}-TOTAL_FORMS")) if hasattr(data, "get") else None
    problem = None
    if posted is None:
        problem = (
            "Les lignes du budget n’ont pas été transmises correctement (leur nombre manque ou est illisible). "
            "Vérifiez chaque ligne ci-dessous, puis envoyez à nouveau le formulaire."
        )
    elif posted > limit or beyond:
        problem = (
            f"Le budget compte {limit} lignes au plus par rubrique : regroupez des lignes semblables "
            "(par exemple « Fournitures »), puis envoyez à nouveau le formulaire."
        )
    normalized = {
        f"{prefix}-TOTAL_FORMS": str(count),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": str(limit),
    }
    for i in range(count):
        for field in ("label", "amount"):
            normalized[f"{prefix}-{i}-{field}"] = text(data.get(f"{prefix}-{i}-{field}", ""))
    return normalized, problem


def formset_initial(data: dict, prefix: str) -> list[dict]:
    """The lines of a stored draft, as initial values of a new formset (empty lines dropped)."""
    normalized, _problem = budget_data(data, prefix, 0)
    rows = []
    for i in range(int(normalized[f"{prefix}-TOTAL_FORMS"])):
        label, amount = normalized[f"{prefix}-{i}-label"], normalized[f"{prefix}-{i}-amount"]
        if label or amount:
            rows.append({"label": label, "amount": amount})
    return rows


def field_max_length(form, name: str) -> int:
    """The most a field of the form may hold: its own max_length, or the model's MaxLengthValidator."""
    field = form.fields[name]
    if getattr(field, "max_length", None):
        return field.max_length
    model_field = next((f for f in Application._meta.fields if f.name == name), None)
    limits = [v.limit_value for v in getattr(model_field, "validators", []) if isinstance(v, MaxLengthValidator)]
    return min(limits) if limits else SHORT_FIELD_MAX_CHARS


def stored_size(data: dict) -> int:
    """The bytes a draft's data take once stored: the JSON Django writes (non-ASCII escaped)."""
    return len(json.dumps(data, cls=DjangoJSONEncoder).encode())


def restore(data) -> dict:
    """A draft's stored data made safe to show, whatever an older version stored."""
    return {k: text(v) for k, v in data.items() if isinstance(k, str)} if isinstance(data, dict) else {}


class Submission:
    """All the parts of the application form, validated together (budget balance, maximum, statutes)."""

    def __init__(self, call: Call, data=None, files=None, kept=(), initial: dict | None = None):
        self.call = call
        if data is None and initial is not None:
            # Resuming a draft: its data are shown as initial values, without errors.
            initial = restore(initial)
            self.form = ApplicationForm(call=call, initial=initial)
            self.expenses = ExpenseFormSet(prefix="depenses", initial=formset_initial(initial, "depenses"))
            self.resources = ResourceFormSet(prefix="ressources", initial=formset_initial(initial, "ressources"))
            self.budget = BudgetForm(initial={"amount_requested": initial.get("amount_requested", "")})
        else:
            if data is not None and not hasattr(data, "getlist"):
                data = restore(data)  # a stored draft; a QueryDict is the request's own
            self.form = ApplicationForm(data, call=call)
            self.expenses = self._budget(ExpenseFormSet, data, "depenses")
            self.resources = self._budget(ResourceFormSet, data, "ressources")
            self.budget = BudgetForm(data)
        for formset, name in ((self.expenses, "Dépense"), (self.resources, "Autre ressource")):
            for i, form in enumerate(formset.forms, start=1):
                form.fields["label"].label = f"{name} {i} : intitulé"
                form.fields["amount"].label = f"{name} {i} : montant (€)"
        self.attachments = AttachmentsForm(data, files, kept=kept) if data is not None else AttachmentsForm(kept=kept)
        self.bound = data is not None

    @staticmethod
    def _budget(formset_class, data, prefix):
        if data is None:
            return formset_class(prefix=prefix)
        normalized, problem = budget_data(data, prefix, formset_class.extra)
        formset = formset_class(normalized, prefix=prefix)
        formset.problem = problem
        return formset

    def is_valid(self) -> bool:
        parts = [self.form, self.expenses, self.resources, self.budget, self.attachments]
        valid = all([part.is_valid() for part in parts])  # a list: every part gets its errors
        if self.expenses.is_valid() and not self.expenses.lines():
            self.expenses.forms[0].add_error("label", "Indiquez au moins une dépense du projet.")
            valid = False
        valid = self._size_is_storable() and valid
        # The maximum needs only the amount: said at once, not after the budget lines are corrected.
        over_maximum = self.budget.is_valid() and self.budget.cleaned_data["amount_requested"] > self.call.max_amount
        if over_maximum:
            self.budget.add_error(
                "amount_requested",
                f"Le montant demandé dépasse le maximum de l’appel ({euros(self.call.max_amount)}) : "
                "réduisez-le et trouvez d’autres ressources.",
            )
            valid = False
        elif self.budget.is_valid() and self.expenses.is_valid() and self.resources.is_valid():
            amount = self.budget.cleaned_data["amount_requested"]
            expenses = self.expenses.total()
            resources = self.resources.total() + amount
            if expenses != resources:
                self.budget.add_error(
                    "amount_requested",
                    f"Le budget n’est pas équilibré : {euros(expenses)} de dépenses et {euros(resources)} de "
                    f"ressources (montant demandé compris). Écart : {euros(abs(expenses - resources))}.",
                )
                valid = False
        # Said with the other errors, even when other fields are wrong: the applicant fixes everything at once.
        if self.form.cleaned_data.get("porteur_kind") == PorteurKind.ASSOCIATION:
            chosen = bool(self.attachments.files.get("statutes"))  # then any problem is said at the field
            if not chosen and Attachment.Kind.STATUTES not in self.attachments.kinds():
                self.attachments.add_error("statutes", "Pour une association, joignez ses statuts.")
                valid = False
        return valid

    def errors(self) -> list[tuple[str, str, str]]:
        """(anchor id, label, message) of every error, in the order of the page, for the error summary."""
        result = [("", "", e) for e in self.form.non_field_errors()]
        # A radio group has no single id: its link goes to the first choice.
        result += [(f.id_for_label or f"{f.auto_id}_0", f.label, e) for f in self.form for e in f.errors]
        for formset in (self.expenses, self.resources):
            # The lines as a whole (how many were sent): the link goes to their group in the budget.
            label = BUDGET_PREFIXES[formset.prefix]
            result += [(f"budget-{formset.prefix}", label, e) for e in formset.non_form_errors()]
            for form in formset.forms:
                result += [(f.id_for_label, f.label, e) for f in form for e in f.errors]
        for form in (self.budget, self.attachments):
            result += [(f.id_for_label, f.label, e) for f in form for e in f.errors]
        return result

    def _size_is_storable(self) -> bool:
        if stored_size(self.data_to_store()) <= settings.DRAFT_MAX_DATA_BYTES:
            return True
        self.form.add_error(
            None,
            ValidationError(
                f"Le dossier est trop volumineux pour être enregistré (plus de "
                f"{settings.DRAFT_MAX_DATA_BYTES // 1024} Ko de texte) : raccourcissez les textes les plus longs.",
                code="too_big",
            ),
        )
        return False

    def is_storable(self) -> bool:
        """Whether this unfinished form may be saved as a draft; only the errors that forbid it are kept.

        A draft may miss fields or be unbalanced (that is what it is for), but it never stores a text longer than
        its field, an address mail cannot be sent to, budget lines it cannot read back, or a refused file.
        """
        parts = [self.form, self.expenses, self.resources, self.budget, self.attachments]
        [part.is_valid() for part in parts]
        forms = [self.form, self.budget, *self.expenses.forms, *self.resources.forms]
        for form in forms:
            for name, errors in list(form.errors.items()):
                errors.data[:] = [e for e in errors.as_data() if self._blocks_a_draft(name, e)]
                if not errors.data:
                    del form.errors[name]
        storable = not any(form.errors for form in forms) and not self.attachments.errors
        storable = not any(formset.non_form_errors() for formset in (self.expenses, self.resources)) and storable
        return storable and self._size_is_storable()

    def has_storage_errors(self) -> bool:
        """After is_valid(): whether an error forbids storing the form as a draft (see is_storable)."""
        forms = [self.form, self.budget, *self.expenses.forms, *self.resources.forms]
        found = any(self._blocks_a_draft(n, e) for f in forms for n, errs in f.errors.items() for e in errs.as_data())
        return found or any(formset.non_form_errors() for formset in (self.expenses, self.resources))

    @staticmethod
    def _blocks_a_draft(name: str, error: ValidationError) -> bool:
        return error.code in STORAGE_ERROR_CODES or (name == "email" and error.code == "invalid")

    def data_to_store(self) -> dict:
        """What a draft keeps of a posted form: the form's own fields, each cut at its maximum length.

        Never the other posted keys (a robot posts hundreds), never the files (stored apart), never the honeypot.
        """
        data, stored = self.form.data, {}
        for name in self.form.fields:
            if name != "website" and name in data:
                stored[name] = text(data.get(name))[: field_max_length(self.form, name)]
        stored["amount_requested"] = text(data.get("amount_requested", ""))[:AMOUNT_MAX_CHARS]
        for formset in (self.expenses, self.resources):
            label_max = formset.form.base_fields["label"].max_length
            count = len(formset.forms)
            for i in range(count):
                start = f"{formset.prefix}-{i}-"
                label = text(formset.data.get(f"{start}label"))[:label_max]
                amount = text(formset.data.get(f"{start}amount"))[:AMOUNT_MAX_CHARS]
                if label or amount:
                    stored[f"{start}label"], stored[f"{start}amount"] = label, amount
            stored[f"{formset.prefix}-TOTAL_FORMS"] = str(count)
            stored[f"{formset.prefix}-INITIAL_FORMS"] = "0"
        return stored
