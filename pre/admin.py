"""Admin of the PRE: editable page content, and the confidential requests of the group « Coordination PRE ».

Who reads the requests: ONLY the active staff members of the group « Coordination PRE », and within it what
the group's permissions allow. Other staff never see them, whatever permissions they hold — including
permissions given directly to the user rather than through the group. Superusers are no exception: a superuser
who is not in the group gets « 403 » on every page of the requests and does not see the model in the admin
index. To read them, a superuser must be added to the group by another superuser (nobody changes their own
groups, core.admin_users), which the admin's history records.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.html import format_html

from langres_portal.core.admin import SingleRowAdminMixin
from langres_portal.core.history_admin import HistoryAdminMixin
from langres_portal.core.models import phone_uri
from langres_portal.core.permissions import is_pre_coordinator

from .models import ContactRequest, FaqEntry, PreSettings, Section, TeamMember


@admin.register(Section)
class SectionAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["title", "order", "extra", "is_published", "updated_at"]
    list_editable = ["order"]
    list_filter = ["is_published"]
    search_fields = ["title", "body"]
    readonly_fields = ["updated_at"]


@admin.register(FaqEntry)
class FaqEntryAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["question", "order", "is_published", "updated_at"]
    list_editable = ["order"]
    list_filter = ["is_published"]
    search_fields = ["question", "answer"]
    readonly_fields = ["updated_at"]


@admin.register(TeamMember)
class TeamMemberAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["role", "name", "order"]
    list_editable = ["order"]
    readonly_fields = ["updated_at"]


@admin.register(PreSettings)
class PreSettingsAdmin(SingleRowAdminMixin, HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["contact_name", "phone", "email", "coordinator_email"]
    fieldsets = [
        (
            "Coordonnées publiques",
            {
                "fields": [
                    "contact_name",
                    "contact_role",
                    "phone",
                    "email",
                    "address",
                    "postcode",
                    "city",
                    "opening_hours",
                ]
            },
        ),
        ("Demandes de contact", {"fields": ["coordinator_email", "message_warning", "privacy_notice"]}),
    ]


class HandledFilter(admin.SimpleListFilter):
    title = "état"
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [("a-traiter", "À traiter"), ("traitee", "Traitée")]

    def queryset(self, request, queryset):
        if self.value() == "a-traiter":
            return queryset.to_handle()
        if self.value() == "traitee":
            return queryset.handled()
        return queryset


class ContactRequestForm(forms.ModelForm):
    handled = forms.BooleanField(
        label="Demande traitée",
        required=False,
        help_text="Cochez quand la personne a été rappelée. La demande sera supprimée automatiquement "
        "quelques mois plus tard.",
    )

    class Meta:
        model = ContactRequest
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handled"].initial = self.instance.is_handled


@admin.register(ContactRequest)
class ContactRequestAdmin(admin.ModelAdmin):
    form = ContactRequestForm
    # No message in the columns: it is read on the request's own page only.
    list_display = ["__str__", "created_at", "requester_type", "name", "means", "has_message", "handled_at"]
    list_display_links = ["__str__"]
    list_filter = [HandledFilter, "requester_type"]
    search_fields = ["name", "phone", "email"]
    date_hierarchy = "created_at"
    list_select_related = ["handled_by"]
    readonly_fields = [
        "created_at",
        "requester_type",
        "name",
        "phone_link",
        "email_link",
        "moments",
        "message",
        "handled_at",
        "handled_by",
    ]
    fieldsets = [
        (None, {"fields": ["created_at", "requester_type", "name", "phone_link", "email_link", "moments", "message"]}),
        ("Suivi", {"fields": ["handled", "handled_at", "handled_by"]}),
    ]
    actions = ["mark_handled", "mark_to_handle"]

    # --- Who may see what: members of the group only, even for superusers (see the module docstring). -----

    def has_module_permission(self, request):
        return is_pre_coordinator(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_pre_coordinator(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return is_pre_coordinator(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_pre_coordinator(request.user) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request):
        return False  # requests come from the public form only

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if is_pre_coordinator(request.user) else queryset.none()

    def history_view(self, request, object_id, extra_context=None):
        # Django looks the object up before checking permissions there: check first, so the answer is a 403.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    # --- Display ------------------------------------------------------------------------------------------

    @admin.display(description="moyen de contact")
    def means(self, obj):
        return " et ".join(label for label, value in [("téléphone", obj.phone), ("courriel", obj.email)] if value)

    @admin.display(description="message", boolean=True)
    def has_message(self, obj):
        return bool(obj.message)

    @admin.display(description="téléphone")
    def phone_link(self, obj):
        return format_html('<a href="{}">{}</a>', phone_uri(obj.phone), obj.phone) if obj.phone else "-"

    @admin.display(description="courriel")
    def email_link(self, obj):
        return format_html('<a href="mailto:{}">{}</a>', obj.email, obj.email) if obj.email else "-"

    @admin.display(description="moments préférés pour l’appel")
    def moments(self, obj):
        return obj.get_preferred_moments_display()

    # --- Handling -----------------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        handled = form.cleaned_data.get("handled")
        if handled and not obj.is_handled:
            obj.handled_at, obj.handled_by = timezone.now(), request.user
        elif not handled and obj.is_handled:
            obj.handled_at = obj.handled_by = None
        super().save_model(request, obj, form, change)

    @admin.action(description="Marquer comme traitées les demandes sélectionnées", permissions=["change"])
    def mark_handled(self, request, queryset):
        count = queryset.to_handle().update(
            handled_at=timezone.now(), handled_by=request.user, updated_at=timezone.now()
        )
        self.message_user(request, f"{count} demande(s) marquée(s) comme traitée(s).", messages.SUCCESS)

    @admin.action(description="Remettre à traiter les demandes sélectionnées", permissions=["change"])
    def mark_to_handle(self, request, queryset):
        count = queryset.handled().update(handled_at=None, handled_by=None, updated_at=timezone.now())
        self.message_user(request, f"{count} demande(s) remise(s) à traiter.", messages.SUCCESS)
