"""The admin side of the content history (core.history): the versions' list, a version's page, its restore."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from .history import (
    HISTORY_TYPES,
    RESTORE_REASON,
    Change,
    ValueFormatter,
    changes_between,
    history_date_label,
    missing_files,
    restore_version,
    rows,
    shown_fields,
)


class HistoryAdminMixin(SimpleHistoryAdmin):
    """The admin's « Historique » of a content model, in French: the list of versions (who, when, what changed,
    old → new), a page per version (old and new values side by side), and its restore, confirmed first.

    Reading follows the model's view/change permission, restoring its change permission (else 403). The versions
    themselves are never editable: there is no form on these pages, and no admin for the history models.
    """

    object_history_template = "admin/history/object_history.html"
    history_version_template = "admin/history/version.html"
    history_restore_template = "admin/history/restore_confirm.html"
    history_list_per_page = 50
    history_parts_limit = 50  # the latest versions of the inlines' rows shown under the object's own

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        view = self.admin_site.admin_view
        urls = [
            path(
                "<path:object_id>/history/<int:version_id>/",
                view(self.history_form_view),
                name="{}_{}_simple_history".format(*info),
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restaurer/",
                view(self.history_restore_view),
                name="{}_{}_history_restore".format(*info),
            ),
        ]
        # SimpleHistoryAdmin's own URL (a form that reverts) is replaced by the version page above.
        return urls + super(SimpleHistoryAdmin, self).get_urls()

    # --- Lookups and permissions ---------------------------------------------------------------------------

    def _history_object(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("Cet élément n’existe pas ou plus.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def _version(self, obj, version_id):
        return get_object_or_404(self.model.history.select_related("history_user"), id=obj.pk, history_id=version_id)

    def _previous(self, version):
        return (
            self.model.history.filter(id=version.id)
            .filter(
                models.Q(history_date__lt=version.history_date)
                | models.Q(history_date=version.history_date, history_id__lt=version.history_id)
            )
            .order_by("-history_date", "-history_id")
            .first()
        )

    def _context(self, request, obj, title, **extra):
        opts = self.model._meta
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": opts,
            "object": obj,
            "app_label": opts.app_label,
            "change_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
            "changelist_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            "history_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]),
            **extra,
        }

    # --- Views ---------------------------------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        obj = self._history_object(request, object_id)
        opts = self.model._meta
        versions = (
            self.model.history.filter(id=obj.pk)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        )
        paginator = Paginator(versions, self.history_list_per_page)
        page_obj = paginator.get_page(request.GET.get("p"))
        start = (page_obj.number - 1) * self.history_list_per_page
        # One more than the page: the oldest version listed is compared with the one before it.
        records = list(versions[start : start + self.history_list_per_page + 1])
        fields = shown_fields(self.model)
        pairs = [(record, records[i + 1] if i + 1 < len(records) else None) for i, record in enumerate(records)]
        pairs = pairs[: self.history_list_per_page]
        changes = {record.history_id: changes_between(fields, prev, record) if prev else [] for record, prev in pairs}
        formatter = ValueFormatter([c for cs in changes.values() for c in cs])
        entries = [
            {
                "record": record,
                "type": HISTORY_TYPES.get(record.history_type, record.history_type),
                "url": reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, record.history_id]
                ),
                "changes": [
                    {**row, "old": _short(row["old"]), "new": _short(row["new"])}
                    for row in rows(changes[record.history_id], formatter)
                ],
                "is_first": prev is None and record.history_type == "+",
            }
            for record, prev in pairs
        ]
        context = self._context(
            request, obj, f"Historique de « {obj} »", entries=entries, page_obj=page_obj, paginator=paginator,
            can_restore=self.has_change_permission(request, obj), parts=self._parts_history(request, obj),
            **(extra_context or {}),
        )  # fmt: skip
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

    def _parts_history(self, request, obj) -> list[dict]:
        """The latest versions of the object's parts edited on its page (a project's photos, a call's documents):
        read here, restored by editing the page. One query per kind of part, however many versions there are."""
        parts = []
        for inline in self.get_inline_instances(request, obj):
            model = inline.model
            if getattr(model._meta, "simple_history_manager_attribute", None) != "history":
                continue
            fk = (
                model._meta.get_field(inline.fk_name)
                if inline.fk_name
                else next(f for f in model._meta.fields if f.many_to_one and f.related_model is self.model)
            )
            records = list(
                model.history.filter(**{fk.attname: obj.pk})
                .select_related("history_user")
                .order_by("-history_date", "-history_id")[: self.history_parts_limit + 1]
            )
            fields = [f for f in shown_fields(model) if f.attname != fk.attname]
            previous = {}
            pairs = []
            for record in reversed(records):  # oldest first: each compared with the one before it, same part
                pairs.append((record, previous.get(record.id)))
                previous[record.id] = record
            pairs = pairs[::-1][: self.history_parts_limit]
            changes = {r.history_id: changes_between(fields, p, r) if p else [] for r, p in pairs}
            formatter = ValueFormatter([c for cs in changes.values() for c in cs])
            parts += [
                {
                    "record": record,
                    "kind": capfirst(model._meta.verbose_name),
                    "name": str(record.instance),
                    "type": HISTORY_TYPES.get(record.history_type, record.history_type),
                    "changes": [
                        {**row, "old": _short(row["old"]), "new": _short(row["new"])}
                        for row in rows(changes[record.history_id], formatter)
                    ],
                    "is_first": prev is None and record.history_type == "+",
                }
                for record, prev in pairs
            ]
        parts.sort(key=lambda part: (part["record"].history_date, part["record"].history_id), reverse=True)
        return parts[: self.history_parts_limit]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """The page of one version: what it changed (before / after), and how it differs from today's text."""
        obj = self._history_object(request, object_id)
        version = self._version(obj, version_id)
        previous = self._previous(version)
        fields = shown_fields(self.model)
        made = changes_between(fields, previous, version) if previous else []
        created = [Change(f, None, getattr(version, f.attname)) for f in fields] if previous is None else []
        to_restore = changes_between(fields, obj, version)
        formatter = ValueFormatter([*made, *created, *to_restore])
        opts = self.model._meta
        context = self._context(
            request,
            obj,
            f"Version du {history_date_label(version.history_date)} de « {obj} »",
            version=version,
            version_type=HISTORY_TYPES.get(version.history_type, version.history_type),
            made=rows(made, formatter),
            created=rows(created, formatter),
            to_restore=rows(to_restore, formatter),
            can_restore=self.has_change_permission(request, obj) and bool(to_restore),
            restore_url=reverse(
                f"admin:{opts.app_label}_{opts.model_name}_history_restore", args=[obj.pk, version.history_id]
            ),
            **(extra_context or {}),
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.history_version_template, context)

    def history_restore_view(self, request, object_id, version_id):
        """GET: what the restore will change, and a button to confirm. POST: restore, then back to the object."""
        obj = self._history_object(request, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = self._version(obj, version_id)
        opts = self.model._meta
        version_url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, version.history_id]
        )
        errors = []
        if request.method == "POST":
            try:
                changes, warnings = restore_version(obj=obj, version=version, user=request.user)
            except ValidationError as error:
                errors = _messages(error, self.model)
            else:
                label = history_date_label(version.history_date)
                names = ", ".join(str(c.label).lower() for c in changes) or "aucun champ"
                self.log_change(request, obj, RESTORE_REASON.format(date=label))
                for warning in warnings:
                    self.message_user(request, warning, "WARNING")
                self.message_user(request, f"La version du {label} est restaurée ({names}).", "SUCCESS")
                return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        to_restore = changes_between(shown_fields(self.model), obj, version)
        formatter = ValueFormatter(to_restore)
        context = self._context(
            request,
            obj,
            f"Restaurer la version du {history_date_label(version.history_date)} de « {obj} »",
            version=version,
            version_url=version_url,
            to_restore=rows(to_restore, formatter),
            missing_files=missing_files(obj, version),
            errors=errors,
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.history_restore_template, context, status=400 if errors else 200)


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _messages(error: ValidationError, model) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    result = []
    for name, errors in error.message_dict.items():
        try:
            label = capfirst(model._meta.get_field(name).verbose_name) + " : "
        except FieldDoesNotExist:  # NON_FIELD_ERRORS
            label = ""
        result += [label + message for message in errors]
    return result
