"""Writes that span several models: drafts with their files, the submission of an application, references."""

import json
import logging
import re
import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format

from langres_portal.core.emails import queue_email
from langres_portal.core.models import SiteIdentity

from .forms import (
    ApplicationForm,
    AttachmentsForm,
    BaseBudgetFormSet,
    BudgetForm,
    ExpenseFormSet,
    ResourceFormSet,
    validate_plain_email,
)
from .models import Application, Attachment, BudgetLine, Call, Draft, Event, PorteurKind, ReferenceCounter

logger = logging.getLogger(__name__)

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


class CallClosed(Exception):
    pass


def euros(value) -> str:
    return number_format(value, 2, force_grouping=True) + " €"


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


_frames = threading.local()


def _written_stack() -> list[list]:
    if not hasattr(_frames, "stack"):
        _frames.stack = []
    return _frames.stack


@contextmanager
def atomic_with_files():
    """transaction.atomic() that deletes the files written by store_files() inside it if it rolls back.

    Django has no « on rollback » hook: a file written to the private storage inside a transaction that rolls
    back afterwards (an error in a later step, a failed commit) would stay on disk with no row pointing to it.
    Nested blocks hand their files to the enclosing one, which may still roll back. Use it (not a bare atomic)
    as the outermost transaction of anything that calls store_files().
    """
    stack = _written_stack()
    written = []
    stack.append(written)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for storage, name in written:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("Fichier %s non supprimé après l’annulation de la transaction", name)
        raise
    else:
        if len(stack) > 1:
            stack[-2].extend(written)
    finally:
        stack.pop()


def store_files(owner: dict, checked: list) -> list[Attachment]:
    """Write the checked files to the private storage and their rows; the files go if the transaction fails."""
    attachments = []
    with atomic_with_files():
        written = _written_stack()[-1]
        for kind, file, (scan_status, scan_result) in checked:
            attachment = Attachment(
                kind=kind,
                original_name=file.name,
                content_type=file.content_type,
                size=file.size,
                sha256=file.sha256,
                scan_status=scan_status,
                scan_result=scan_result,
                scanned_at=timezone.now() if scan_status != Attachment.ScanStatus.PENDING else None,
                **owner,
            )
            attachment.file.save("piece", ContentFile(file.content), save=False)
            written.append((attachment.file.storage, attachment.file.name))
            attachment.save()
            attachments.append(attachment)
    return attachments


@atomic_with_files()
def save_draft(*, call: Call, draft: Draft | None, data: dict, attachments: AttachmentsForm) -> Draft:
    """Store the form as it is, with its valid new files, and drop the files the applicant removed."""
    if draft is None:
        draft = Draft(call=call)
    draft.data = data
    draft.email = valid_email_or_blank(text(data.get("email", "")))
    draft.save()
    removed = [a for a in attachments.kept if a not in getattr(attachments, "remaining", attachments.kept)]
    for attachment in removed:
        delete_attachment(attachment)
    store_files({"draft": draft}, attachments.checked)
    attachments.checked = []
    return draft


def valid_email_or_blank(value: str) -> str:
    """The draft's address if mail may be sent to it (one plain address, Django's validator), else blank."""
    try:
        validate_plain_email(value)
    except ValidationError:
        return ""
    return value


def delete_attachment(attachment: Attachment) -> None:
    """Delete the row now and its file only once the transaction commits (a rollback keeps both)."""
    name = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: attachment.file.storage.delete(name))


def next_reference(year: int) -> str:
    """MP-YYYY-NNNN, taken from the year's counter row locked until the caller's transaction ends."""
    ReferenceCounter.objects.bulk_create([ReferenceCounter(year=year, last=0)], ignore_conflicts=True)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"MP-{year}-{counter.last:04d}"


def site_url(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def submit_draft(*, token: str, request=None, now=None) -> tuple[Application, bool]:
    """Turn a checked draft into an application, exactly once; returns (application, created).

    One transaction writes the application, its budget, its files, its first event and both e-mails. A second
    submit of the same draft (double click, resend) finds the application made by the first one.
    """
    now = now or timezone.now()
    with transaction.atomic():
        draft = Draft.objects.select_for_update().select_related("call").filter(token=token).first()
        if draft is None:
            application = Application.objects.filter(source_token=token).first()
            if application is None:
                raise Draft.DoesNotExist
            return application, False
        if not draft.call.is_open(now):
            raise CallClosed
        kept = list(draft.attachments.all())
        submission = Submission(draft.call, data=draft.data, kept=kept)
        if not submission.is_valid():
            raise ValueError("Le brouillon n’est plus valide")
        application = submission.form.save(commit=False)
        application.call = draft.call
        application.source_token = token
        application.amount_requested = submission.budget.cleaned_data["amount_requested"]
        application.submitted_at = now
        application.reference = next_reference(timezone.localtime(now).year)
        application.full_clean(exclude=["tracking_token", "source_token"])
        application.save()
        lines = [
            BudgetLine(application=application, kind=kind, label=line["label"], amount=line["amount"], order=i)
            for kind, formset in (
                (BudgetLine.Kind.EXPENSE, submission.expenses),
                (BudgetLine.Kind.RESOURCE, submission.resources),
            )
            for i, line in enumerate(formset.lines())
        ]
        BudgetLine.objects.bulk_create(lines)
        draft.attachments.update(application=application, draft=None)
        Event.objects.create(application=application, status=Application.Status.SUBMITTED, created_at=now)
        draft.delete()
        queue_acknowledgements(application, request)
    return application, True


def email_context(application: Application, request=None) -> dict:
    application = (
        Application.objects.prefetch_related("budget_lines", "attachments")
        .select_related("call", "quartier", "pillar")
        .get(pk=application.pk)
    )
    return {
        "application": application,
        "reference": application.reference,
        "title": application.title,
        "call": application.call.title,
        "amount_requested": euros(application.amount_requested),
        "tracking_url": site_url(request, application.get_tracking_url()),
        "admin_url": site_url(request, reverse("admin:microprojets_application_change", args=[application.pk])),
        "submitted_at": timezone.localtime(application.submitted_at),
        "committee_date": application.call.committee_date,
        "files": [a.original_name for a in application.attachments.all()],
    }


def queue_acknowledgements(application: Application, request=None) -> None:
    context = email_context(application, request)
    site = SiteIdentity.current()
    queue_email(
        key="microprojets-accuse-reception",
        to=[application.email],
        context=context,
        reply_to=[site.email] if site.email else None,
    )
    if site.email:
        queue_email(key="microprojets-nouveau-dossier", to=[site.email], context=context)


@atomic_with_files()
def add_complement(application: Application, form, request=None) -> Event:
    """The applicant's answer to a request of the service: message, files and an e-mail to the service."""
    event = Event.objects.create(application=application, message=form.cleaned_data["message"], from_applicant=True)
    files = store_files({"application": application}, form.checked)
    site = SiteIdentity.current()
    if site.email:
        context = email_context(application, request)
        context.update(message=event.message, new_files=[f.original_name for f in files])
        queue_email(key="microprojets-complement", to=[site.email], context=context)
    return event


def notify_message(event: Event, request=None) -> None:
    """Tell the applicant that the service wrote on the tracking page (the message itself stays there)."""
    application = event.application
    queue_email(
        key="microprojets-message-du-service",
        to=[application.email],
        context={
            "reference": application.reference,
            "title": application.title,
            "tracking_url": site_url(request, application.get_tracking_url()),
        },
    )


def resend_tracking_link(application_id: int, request=None) -> None:
    """Mail the tracking link of one application to its own address (asked from its old draft link)."""
    application = Application.objects.get(pk=application_id)
    link = {"reference": application.reference, "title": application.title}
    link["url"] = site_url(request, application.get_tracking_url())
    queue_email(
        key="microprojets-renvoi-liens", to=[application.email], context={"links": [link], "drafts": [], "count": 1}
    )


def resend_links(email: str, request=None) -> int:
    """Queue one e-mail with the tracking links of this address's applications (none if it has none)."""
    applications = list(Application.objects.filter(email__iexact=email.strip()).order_by("submitted_at"))
    drafts = list(Draft.objects.filter(email__iexact=email.strip(), call__closes_at__gt=timezone.now()))
    if not applications and not drafts:
        return 0
    links = [
        {"reference": a.reference, "title": a.title, "url": site_url(request, a.get_tracking_url())}
        for a in applications
    ]
    drafts_links = [site_url(request, reverse("microprojets:resume", args=[d.token])) for d in drafts]
    queue_email(
        key="microprojets-renvoi-liens",
        to=[email.strip()],
        context={"links": links, "drafts": drafts_links, "count": len(links) + len(drafts_links)},
    )
    return len(links) + len(drafts_links)
