from functools import partial

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Min, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html

from langres_portal.core.admin_widgets import ACCESSIBLE_FORMFIELDS
from langres_portal.core.history_admin import HistoryAdminMixin
from langres_portal.core.permissions import ROLE_INSTRUCTORS, can_instruct

from . import exports, workflow
from .admin_followup import FollowupAdminMixin
from .formats import euros
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


class CallDocumentInline(admin.StackedInline):  # a tabular one has an empty header cell and unlabelled file inputs
    model = CallDocument
    extra = 1


@admin.register(Call)
class CallAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["title", "opens_at", "closes_at", "max_amount", "committee_date", "is_published", "is_example"]
    list_filter = ["is_published", "is_example"]
    search_fields = ["title"]
    date_hierarchy = "opens_at"
    inlines = [CallDocumentInline]
    formfield_overrides = ACCESSIBLE_FORMFIELDS  # the opening and closing times as one labelled input each
    change_form_template = "admin/microprojets/call/change_form.html"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra = {**(extra_context or {}), "can_message": can_instruct(request.user)}
        return super().changeform_view(request, object_id, form_url, extra)

    def get_urls(self):
        message = self.admin_site.admin_view(partial(staff.call_message, model_admin=self))
        budget = self.admin_site.admin_view(self.budget_export_view)
        return [
            path("<int:pk>/ecrire/", message, name="microprojets_call_message"),
            path("<int:pk>/budget.<str:fmt>", budget, name="microprojets_call_budget_export"),
            *super().get_urls(),
        ]

    def budget_export_view(self, request, pk, fmt):
        """The call's budget summary (exports.BUDGET_COLUMNS), instructors only: it names the applicants."""
        if not can_instruct(request.user):
            raise PermissionDenied(ROLE_INSTRUCTORS)
        if fmt not in EXPORT_FORMATS:
            raise Http404("Format inconnu")
        call = get_object_or_404(Call, pk=pk)
        rows = exports.budget_rows(exports.call_budget(call))
        return exports.file_response(
            exports.BUDGET_COLUMNS, rows, fmt=fmt, name=f"budget-appel-{call.pk}", title="Budget de l’appel"
        )


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


class YearFilter(admin.SimpleListFilter):
    """The year the application was received (local time), from the last year with applications to the first."""

    title = "année de réception"
    parameter_name = "annee"

    def lookups(self, request, model_admin):
        # The bounds, not DISTINCT years: SQLite truncates dates in Python, row by row (45 ms for 5,000 rows).
        bounds = Application.objects.aggregate(first=Min("submitted_at"), last=Max("submitted_at"))
        if bounds["first"] is None:
            return []
        first, last = (timezone.localtime(bounds[k]).year for k in ("first", "last"))
        return [(str(year), str(year)) for year in range(last, first - 1, -1)]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isascii() and value.isdigit() and len(value) == 4:
            return queryset.filter(submitted_at__year=int(value))
        if value:
            raise IncorrectLookupParameters(value)  # the admin shows the list with « ?e=1 », never a 500
        return queryset


class InstructorFilter(admin.SimpleListFilter):
    """Who instructs the application: each member of staff who can instruct (core.permissions), or no one."""

    title = "instructeur chargé du dossier"
    parameter_name = "instructeur"

    def lookups(self, request, model_admin):
        users = (
            get_user_model()
            .objects.filter(is_active=True, is_staff=True)
            .filter(Q(is_superuser=True) | Q(groups__name=ROLE_INSTRUCTORS))
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        return [
            ("personne", "Attribué à personne"),
            *((str(u.pk), u.get_full_name() or u.get_username()) for u in users),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "personne":
            return queryset.filter(assigned_to__isnull=True)
        if value and value.isascii() and value.isdigit() and len(value) < 10:
            return queryset.filter(assigned_to_id=int(value))
        if value:
            raise IncorrectLookupParameters(value)
        return queryset


EXPORT_FORMATS = ("csv", "xlsx")


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
        "requested_display",
        "granted_display",
        "paid_display",
        "submitted_at",
        "is_example",
    ]
    list_filter = [
        ToHandleFilter, "call", "status", "quartier", "pillar", YearFilter, InstructorFilter, "porteur_kind",
        "attachments__scan_status", "is_example",
    ]  # fmt: skip
    list_select_related = ["call", "assigned_to"]
    search_fields = ["reference", "first_name", "last_name", "organisation_name", "title", "email"]
    change_list_template = "admin/microprojets/application/change_list.html"

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

    # The list's amounts, written as everywhere else (« 1 500,00 € ») and sortable on their field.
    @admin.display(description="demandé", ordering="amount_requested")
    def requested_display(self, obj):
        return euros(obj.amount_requested)

    @admin.display(description="accordé", ordering="amount_granted", empty_value="–")
    def granted_display(self, obj):
        return None if obj.amount_granted is None else euros(obj.amount_granted)

    @admin.display(description="versé", ordering="amount_paid")
    def paid_display(self, obj):
        return euros(obj.amount_paid)

    def changelist_view(self, request, extra_context=None):
        extra = {**(extra_context or {}), "export_formats": EXPORT_FORMATS}
        return super().changelist_view(request, extra)

    def export_view(self, request, fmt):
        """The applications of the list as the staff member sees it (same filters, search and order), as a file."""
        if not can_instruct(request.user):
            raise PermissionDenied(ROLE_INSTRUCTORS)
        if fmt not in EXPORT_FORMATS:
            raise Http404("Format inconnu")
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return redirect(reverse("admin:microprojets_application_changelist") + "?e=1")
        applications = exports.export_applications(changelist.get_queryset(request))
        return exports.file_response(
            exports.APPLICATION_COLUMNS, applications, fmt=fmt, name="dossiers-microprojets", title="Dossiers"
        )

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
            path("exporter.<str:fmt>", view(self.export_view), name="microprojets_application_export"),
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
