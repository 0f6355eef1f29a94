from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.html import format_html

from .admin_followup import FollowupAdminMixin
from .models import Application, Attachment, BudgetLine, Call, CallDocument, EligibilityMessage, Event
from .services import submission as services


class CallDocumentInline(admin.TabularInline):
    model = CallDocument
    extra = 1


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "opens_at", "closes_at", "max_amount", "committee_date", "is_example"]
    list_filter = ["is_example"]
    search_fields = ["title"]
    date_hierarchy = "opens_at"
    inlines = [CallDocumentInline]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BudgetLineInline(ReadOnlyInline):
    model = BudgetLine
    fields = ["kind", "label", "amount"]


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


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    fields = ["created_at", "status", "message", "from_applicant", "by"]
    readonly_fields = ["created_at", "status", "from_applicant", "by"]
    verbose_name = "message (au porteur, ou reçu de lui)"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(FollowupAdminMixin, admin.ModelAdmin):
    list_display = [
        "reference",
        "title",
        "organisation_name",
        "call",
        "status",
        "amount_requested",
        "submitted_at",
        "is_example",
    ]
    list_filter = ["call", "status", "attachments__scan_status", "porteur_kind", "quartier", "is_example"]
    list_select_related = ["call"]
    search_fields = ["reference", "title", "organisation_name", "last_name", "email"]
    date_hierarchy = "submitted_at"
    readonly_fields = [
        "reference", "status", "call", "submitted_at", "amount_requested", "expenses_total_display",
        "resources_total_display", "created_at", "updated_at",
    ]  # fmt: skip
    fieldsets = [
        ("Dossier", {"fields": ["reference", "call", "status", "submitted_at"]}),
        ("Porteur", {"fields": Application.PORTEUR_FIELDS}),
        ("Projet", {"fields": Application.PROJECT_FIELDS}),
        ("Budget", {"fields": ["amount_requested", "expenses_total_display", "resources_total_display"]}),
        ("Suivi", {"fields": ["is_example", "created_at", "updated_at"]}),
    ]
    inlines = [BudgetLineInline, AttachmentInline, EventInline]

    def has_add_permission(self, request):
        return False  # applications come from the public form

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("budget_lines")

    # A computed read-only value is shown with str(): format it as the admin formats amounts (« 1 000,50 »).
    @admin.display(description="total des dépenses (€)")
    def expenses_total_display(self, obj):
        return number_format(obj.expenses_total, 2, force_grouping=True)

    @admin.display(description="total des ressources (€)")
    def resources_total_display(self, obj):
        return number_format(obj.resources_total, 2, force_grouping=True)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            is_new_message = isinstance(instance, Event) and instance.pk is None
            if isinstance(instance, Event) and instance.by_id is None:
                instance.by = request.user
            instance.save()
            if is_new_message and instance.message and not instance.from_applicant:
                # Same transaction as the message (the admin's): the applicant is told, through the outbox.
                services.notify_message(instance, request)
        formset.save_m2m()

    def get_urls(self):
        download = self.admin_site.admin_view(self.download_view)
        return [
            path("piece/<int:pk>/", download, name="microprojets_attachment_download"),
            *super().get_urls(),
        ]

    def download_view(self, request, pk):
        """Send a clean file to staff only, as a download that the browser never renders."""
        if not self.has_view_permission(request):
            raise PermissionDenied
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
class EligibilityMessageAdmin(admin.ModelAdmin):
    """The wording of the eligibility check's answers; the cases themselves are fixed (no add, no delete)."""

    list_display = ["__str__", "text"]
    fields = ["key", "text"]
    readonly_fields = ["key"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
