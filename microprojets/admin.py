from functools import partial

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.html import format_html

from langres_portal.core.history_admin import HistoryAdminMixin
from langres_portal.core.permissions import ROLE_INSTRUCTORS, can_instruct

from . import workflow
from .admin_followup import FollowupAdminMixin
from .models import (
    Application,
    Attachment,
    BudgetLine,
    Call,
    CallDocument,
    EligibilityMessage,
    ReplyTemplate,
    StatusChange,
)
from .views import staff


class CallDocumentInline(admin.TabularInline):
    model = CallDocument
    extra = 1


@admin.register(Call)
class CallAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["title", "opens_at", "closes_at", "max_amount", "committee_date", "is_published", "is_example"]
    list_filter = ["is_published", "is_example"]
    search_fields = ["title"]
    date_hierarchy = "opens_at"
    inlines = [CallDocumentInline]
    change_form_template = "admin/microprojets/call/change_form.html"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra = {**(extra_context or {}), "can_message": can_instruct(request.user)}
        return super().changeform_view(request, object_id, form_url, extra)

    def get_urls(self):
        message = self.admin_site.admin_view(partial(staff.call_message, model_admin=self))
        return [path("<int:pk>/ecrire/", message, name="microprojets_call_message"), *super().get_urls()]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    template = "admin/microprojets/readonly_tabular.html"

    def has_view_permission(self, request, obj=None):
        return can_instruct(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BudgetLineInline(ReadOnlyInline):
    model = BudgetLine
    fields = ["kind", "label", "amount_display"]
    readonly_fields = fields

    @admin.display(description="montant (€)")
    def amount_display(self, obj):
        return number_format(obj.amount, 2, force_grouping=True)


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fk_name = "application"
    fields = ["kind", "original_name", "content_type", "size", "scan_status", "download"]
    readonly_fields = fields

    @admin.display(description="Télécharger")
    def download(self, obj):
        if not obj.is_downloadable:
            return "Non téléchargeable tant que le fichier n’est pas analysé comme sain"
        url = reverse("admin:microprojets_attachment_download", args=[obj.pk])
        return format_html('<a href="{}">Télécharger « {} »</a>', url, obj.original_name)


class StatusChangeInline(ReadOnlyInline):
    """The instruction's log: read-only for everyone, superusers included (no add, change or delete)."""

    model = StatusChange
    fields = ["created_at", "from_status", "to_status", "actor", "by", "comment"]
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None):
        return False


class ToHandleFilter(admin.SimpleListFilter):
    """« À traiter par moi »: waiting for the service (workflow.WAITING_FOR_STAFF) and assigned to me; « À
    attribuer »: waiting for the service and assigned to no one."""

    title = "à traiter"
    parameter_name = "a_traiter"

    def lookups(self, request, model_admin):
        return [("moi", "À traiter par moi"), ("personne", "En attente, attribué à personne")]

    def queryset(self, request, queryset):
        waiting = queryset.filter(status__in=sorted(workflow.WAITING_FOR_STAFF))
        if self.value() == "moi":
            return waiting.filter(assigned_to=request.user)
        if self.value() == "personne":
            return waiting.filter(assigned_to__isnull=True)
        return queryset


class InstructorsOnlyMixin:
    """Every page of the model answers 403 to staff outside core.permissions.can_instruct."""

    def has_module_permission(self, request):
        return can_instruct(request.user)

    def has_view_permission(self, request, obj=None):
        return can_instruct(request.user)

    def has_add_permission(self, request):
        return can_instruct(request.user)

    def has_change_permission(self, request, obj=None):
        return can_instruct(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_instruct(request.user)


@admin.register(Application)
class ApplicationAdmin(FollowupAdminMixin, InstructorsOnlyMixin, admin.ModelAdmin):
    """What the applicant sent, read-only (no change, no delete for anyone: only the retention command removes an
    application); above it the instruction: moves, assignment, messages, notes (views.staff)."""

    list_display = [
        "reference",
        "title",
        "organisation_name",
        "call",
        "status",
        "assigned_to",
        "amount_requested",
        "submitted_at",
        "is_example",
    ]
    list_filter = [
        ToHandleFilter, "call", "status", "attachments__scan_status", "porteur_kind", "quartier", "is_example"
    ]  # fmt: skip
    list_select_related = ["call", "assigned_to"]
    search_fields = ["reference", "title", "organisation_name", "last_name", "email"]
    date_hierarchy = "submitted_at"
    readonly_fields = [
        "reference", "status", "assigned_to", "call", "submitted_at", "amount_requested", "expenses_total_display",
        "resources_total_display", "created_at", "updated_at",
    ]  # fmt: skip
    fieldsets = [
        ("Dossier", {"fields": ["reference", "call", "status", "assigned_to", "submitted_at"]}),
        ("Porteur", {"fields": Application.PORTEUR_FIELDS}),
        ("Projet", {"fields": Application.PROJECT_FIELDS}),
        ("Budget", {"fields": ["amount_requested", "expenses_total_display", "resources_total_display"]}),
        ("Suivi", {"fields": ["is_example", "created_at", "updated_at"]}),
    ]
    inlines = [BudgetLineInline, AttachmentInline, StatusChangeInline]
    change_form_template = "admin/microprojets/application/change_form.html"

    def has_add_permission(self, request):
        return False  # applications come from the public form

    def has_change_permission(self, request, obj=None):
        return False  # what the applicant sent stays as sent; the instruction has its own forms (views.staff)

    def has_delete_permission(self, request, obj=None):
        return False  # only the retention command removes applications (and no « delete selected » action)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = dict(extra_context or {})
        if can_instruct(request.user) and str(object_id).isdigit():
            extra.update(staff.instruction_context(request, int(object_id)))
        return super().change_view(request, object_id, form_url, extra)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("budget_lines")

    # A computed read-only value is shown with str(): format it as the admin formats amounts (« 1 000,50 »).
    @admin.display(description="total des dépenses (€)")
    def expenses_total_display(self, obj):
        return number_format(obj.expenses_total, 2, force_grouping=True)

    @admin.display(description="total des ressources (€)")
    def resources_total_display(self, obj):
        return number_format(obj.resources_total, 2, force_grouping=True)

    def get_urls(self):
        download = self.admin_site.admin_view(self.download_view)
        view = self.admin_site.admin_view
        return [
            path("piece/<int:pk>/", download, name="microprojets_attachment_download"),
            path("<int:pk>/statut/", view(staff.move), name="microprojets_application_move"),
            path(
                "<int:pk>/attribuer/",
                view(partial(staff.assign, model_admin=self)),
                name="microprojets_application_assign",
            ),
            path("<int:pk>/message/", view(staff.message), name="microprojets_application_message"),
            path("<int:pk>/note/", view(staff.note), name="microprojets_application_note"),
            path(
                "<int:pk>/imprimer/",
                view(partial(staff.summary, model_admin=self)),
                name="microprojets_application_summary",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, pk):
        """Send a clean file to staff only, as a download that the browser never renders."""
        if not self.has_view_permission(request):
            raise PermissionDenied(ROLE_INSTRUCTORS)  # the 403 page names the role (its URL name is not the model's)
        attachment = get_object_or_404(Attachment, pk=pk, application__isnull=False)
        if not attachment.is_downloadable:
            raise Http404("Fichier non analysé ou infecté")
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.download_name,  # the type's extension, never the sender's
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


@admin.register(EligibilityMessage)
class EligibilityMessageAdmin(HistoryAdminMixin, admin.ModelAdmin):
    """The wording of the eligibility check's answers; the cases themselves are fixed (no add, no delete)."""

    list_display = ["__str__", "text"]
    fields = ["key", "text"]
    readonly_fields = ["key"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(InstructorsOnlyMixin, HistoryAdminMixin, admin.ModelAdmin):
    """The replies instructors start their messages from: they edit them here."""

    list_display = ["title", "order", "updated_at"]
    list_editable = ["order"]
    search_fields = ["title", "body"]
    fields = ["title", "body", "order"]


from .admin_committee import CommitteeSessionAdmin  # noqa: E402, F401  (registers the committee's admin)
