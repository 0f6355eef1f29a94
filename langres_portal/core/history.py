"""History of the public content (django-simple-history): who changed what and when, old and new values, and
« Restaurer cette version » in the admin.

Only CONTENT models get a history: what « Rédaction » edits (pages, quartiers, projects, PRE texts, calls…). Never
applications, PRE requests, drafts, the outbox or any other personal data: a copy of each version would outlive the
retention periods (see the apps' retention.py). A history row holds the content and its author (history_user, set to
NULL when the staff account is deleted: the versions stay, anonymous).

A model opts in with `history = ContentHistory()`; its ModelAdmin with core.history_admin.HistoryAdminMixin.
"""

import posixpath
from dataclasses import dataclass
from datetime import datetime

from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.text import capfirst, format_lazy
from simple_history.models import HistoricalRecords

HISTORY_TYPES = {"+": "Création", "~": "Modification", "-": "Suppression"}
EMPTY = "(vide)"
RESTORE_REASON = "Restauration de la version du {date}"
MISSING_FILE_MESSAGE = (
    "Le fichier « {name} » de cette version ({label}) a été supprimé du disque quand il a été remplacé : "
    "le fichier actuel est gardé."
)


class ContentHistory(HistoricalRecords):
    """HistoricalRecords with French names and no permissions of its own: a version is read with the model's view
    or change permission and restored with its change permission; nobody adds, edits or deletes a version."""

    def get_meta_options(self, model):
        meta = super().get_meta_options(model)
        meta["verbose_name"] = format_lazy("version – {}", model._meta.verbose_name)
        meta["verbose_name_plural"] = format_lazy("versions – {}", model._meta.verbose_name_plural)
        meta["default_permissions"] = ()
        return meta


BASELINE_REASON = "Version de départ (le texte tel qu’il était avant l’historique)"


def content_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [m for m in apps.get_models() if getattr(m._meta, "simple_history_manager_attribute", None) == "history"]


def record_baselines() -> int:
    """Give every content row without a version one, as it is now: rows from before the history, or made by a
    bulk_create (demo data, easy-to-read blocks), can then be restored to this text after their next edit.

    Idempotent (a row that has a version is left alone); one query per model, plus the inserts.
    """
    created = 0
    for model in content_models():
        with_history = model.history.values("id")
        missing = model._default_manager.exclude(pk__in=with_history)
        while rows := list(missing.order_by("pk")[:500]):  # the rows just given a version leave `missing`
            model.history.bulk_history_create(rows, default_change_reason=BASELINE_REASON)
            created += len(rows)
    return created


def history_date_label(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y à H:i:s")


def tracked_fields(model) -> list[models.Field]:
    """The model's fields a version holds and a restore writes back (not the key, not the automatic dates)."""
    history_model = model.history.model
    kept = {f.attname for f in history_model._meta.concrete_fields}
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key
        and f.attname in kept
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]


def shown_fields(model) -> list[models.Field]:
    """The fields staff see compared: the editable ones (an image's width follows its file)."""
    return [f for f in tracked_fields(model) if f.editable]


def restored_fields(model) -> list[models.Field]:
    """What a restore writes back: what staff edit, and the dimensions of a restored image. Not the fields the code
    keeps (an e-mail template's list of variables, a street's folded name): they stay as the code set them."""
    shown = shown_fields(model)
    dimensions = {
        name for f in shown if isinstance(f, models.ImageField) for name in (f.width_field, f.height_field) if name
    }
    return [f for f in tracked_fields(model) if f in shown or f.attname in dimensions]


@dataclass
class Change:
    field: models.Field
    old: object
    new: object

    @property
    def label(self):
        return capfirst(self.field.verbose_name)


def changes_between(fields, old, new) -> list[Change]:
    """Fields whose value differs between two versions (or a version and the current object)."""
    return [
        Change(f, getattr(old, f.attname), getattr(new, f.attname))
        for f in fields
        if _comparable(getattr(old, f.attname)) != _comparable(getattr(new, f.attname))
    ]


def _comparable(value):
    if isinstance(value, datetime):
        return value.replace(microsecond=0)  # the admin's date and time widgets keep whole seconds
    if hasattr(value, "name") and isinstance(getattr(value, "name", None), str | type(None)):
        return value.name or ""  # a FieldFile of the current object against the name kept by a version
    return "" if value is None else value


class ValueFormatter:
    """Turns stored values into what staff read: choice labels, Oui/Non, dates, the related object's name.

    The related objects of a whole page of changes are fetched at once: one query per foreign key model, however
    many versions are listed.
    """

    def __init__(self, changes: list[Change]):
        wanted: dict[type, set] = {}
        for change in changes:
            if change.field.is_relation:
                for value in (change.old, change.new):
                    if value is not None:
                        wanted.setdefault(change.field.related_model, set()).add(value)
        self.related = {model: model._default_manager.in_bulk(ids) for model, ids in wanted.items()}

    def __call__(self, field, value) -> str:
        value = _comparable(value) if isinstance(field, models.FileField) else value
        if value is None or value == "":
            return EMPTY
        if field.is_relation:
            obj = self.related.get(field.related_model, {}).get(value)
            return str(obj) if obj is not None else f"n° {value} (supprimé)"
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.BooleanField):
            return "Oui" if value else "Non"
        if isinstance(field, models.FileField):
            return posixpath.basename(str(value))
        if isinstance(field, models.DateTimeField):
            return formats.date_format(timezone.localtime(value), "j F Y à H:i")
        if isinstance(field, models.DateField):
            return formats.date_format(value, "j F Y")
        return str(value)


def rows(changes: list[Change], formatter: ValueFormatter) -> list[dict]:
    return [{"label": c.label, "old": formatter(c.field, c.old), "new": formatter(c.field, c.new)} for c in changes]


def missing_files(obj, version) -> list[str]:
    """Warnings for the files of `version` the pipeline removed from the disk (a restore keeps the current ones)."""
    missing = []
    for field in shown_fields(type(obj)):
        if isinstance(field, models.FileField):
            name = getattr(version, field.attname) or ""
            if name and name != (getattr(obj, field.attname).name or "") and not field.storage.exists(name):
                missing.append(MISSING_FILE_MESSAGE.format(name=posixpath.basename(name), label=field.verbose_name))
    return missing


def restore_version(*, obj, version, user) -> tuple[list[Change], list[str]]:
    """Write a version's values back onto `obj`, checked like an edit, and record it as a new version.

    A file the pipeline already removed from the disk is not pointed to: the current file stays (and its
    dimensions with it), and a warning says so. Rich text goes through the sanitiser again (RichTextField.pre_save).
    Raises ValidationError (nothing stored) when the restored values break a rule of today (a required page
    unpublished, a slug taken since…).
    """
    model = type(obj)
    with transaction.atomic():
        obj = model._default_manager.select_for_update().get(pk=obj.pk)
        fields = restored_fields(model)
        changes = changes_between(shown_fields(model), obj, version)
        warnings = missing_files(obj, version)
        kept: set[str] = set()
        for field in fields:
            name = getattr(version, field.attname) if isinstance(field, models.FileField) else None
            if name and name != (getattr(obj, field.attname).name or "") and not field.storage.exists(name):
                # The file and its dimensions stay as they are now.
                kept.update(
                    filter(
                        None,
                        [field.attname, getattr(field, "width_field", None), getattr(field, "height_field", None)],
                    )
                )
        for field in fields:
            if field.attname not in kept:
                setattr(obj, field.attname, getattr(version, field.attname))
        obj.full_clean()
        obj._change_reason = RESTORE_REASON.format(date=history_date_label(version.history_date))
        obj._history_user = user
        obj.save()
    return [c for c in changes if c.field.attname not in kept], warnings
