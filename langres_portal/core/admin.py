import re
from urllib.parse import urlsplit

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as admin_delete_selected
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.html import format_html
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import EmailTemplateForm
from .history_admin import HistoryAdminMixin
from .models import (
    REQUIRED_PAGE_MESSAGE,
    REQUIRED_PAGES,
    EasyReadBlock,
    EasyReadPage,
    EmailTemplate,
    GlossaryTerm,
    HomeBlock,
    OutboxEmail,
    Page,
    SiteIdentity,
    StaffAuthenticator,
    StaffRecoveryCodes,
)


class SingleRowAdminMixin:
    """A settings model with one row: it may be added (with the add permission) only while none exists, and is
    never deleted, since the pages read it on every request."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not self.model.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SiteIdentity)
class SiteIdentityAdmin(SingleRowAdminMixin, HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["service_name", "commune_name", "phone", "email", "accessibility_status"]
    fieldsets = [
        ("Collectivité et service", {"fields": ["commune_name", "service_name", "tagline", "website_url"]}),
        ("Données ouvertes", {"fields": ["legal_name", "siret"]}),
        ("Coordonnées", {"fields": ["address", "postcode", "city", "phone", "email", "opening_hours"]}),
        (
            "Apparence",
            {
                "fields": [
                    "logo",
                    "logo_alt",
                    "logo_is_decorative",
                    "main_color",
                    "banner",
                    "banner_alt",
                    "banner_is_decorative",
                ]
            },
        ),
        ("Accessibilité", {"fields": ["accessibility_status"]}),
    ]


@admin.register(Page)
class PageAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "place", "is_published", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["title", "slug", "summary", "body"]
    readonly_fields = ["place", "protection", "updated_at"]
    fields = ["slug", "title", "place", "protection", "summary", "body", "is_published", "updated_at"]
    actions = ["delete_selected"]  # replaces the admin's own, to say why a protected page is kept

    def get_readonly_fields(self, request, obj=None):
        # The slug ties a page to its place on the site: fixed once created.
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields

    def get_fields(self, request, obj=None):
        return [f for f in self.fields if f not in {"place", "protection"}] if obj is None else self.fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None and "slug" in form.base_fields:
            form.base_fields["slug"].help_text = (
                "Fin de l’adresse de la page : une page nouvelle est publiée à l’adresse /pages/ suivie de cet "
                "identifiant, et listée dans le plan du site. Lettres sans accents, chiffres et tirets ; non "
                "modifiable ensuite."
            )
        return form

    def view_on_site(self, obj):
        return obj.get_absolute_url()  # None for a text without a page of its own (an error page's words…)

    @admin.display(description="où elle apparaît")
    def place(self, obj):
        return obj.place

    @admin.display(description="protection")
    def protection(self, obj):
        if not obj.is_required:
            return "Cette page peut être dépubliée ou supprimée."
        return REQUIRED_PAGE_MESSAGE.format(reason=REQUIRED_PAGES[obj.slug])

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_required:
            return False
        return super().has_delete_permission(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        page = self.get_object(request, object_id)
        if page is not None and page.is_required and self.has_view_or_change_permission(request, page):
            reason = REQUIRED_PAGES[page.slug]
            self.message_user(request, REQUIRED_PAGE_MESSAGE.format(reason=reason), messages.ERROR)
            return redirect(reverse("admin:core_page_change", args=[page.pk]))
        return super().delete_view(request, object_id, extra_context)

    @admin.action(description="Supprimer les pages sélectionnées", permissions=["delete"])
    def delete_selected(self, request, queryset):
        protected = [page for page in queryset if page.is_required]
        if protected:
            names = ", ".join(f"« {page.title} » ({REQUIRED_PAGES[page.slug]})" for page in protected)
            self.message_user(
                request,
                f"Rien n’a été supprimé : ces pages ne peuvent être ni supprimées ni dépubliées : {names}. "
                "Désélectionnez-les, ou modifiez plutôt leur texte.",
                messages.ERROR,
            )
            return None
        return admin_delete_selected(self, request, queryset)


@admin.register(EmailTemplate)
class EmailTemplateAdmin(HistoryAdminMixin, admin.ModelAdmin):
    form = EmailTemplateForm
    list_display = ["subject", "key", "waiting_count", "updated_at"]
    search_fields = ["subject", "body"]
    readonly_fields = ["key", "variables", "waiting_count", "updated_at"]

    def get_queryset(self, request):
        waiting = (
            OutboxEmail.objects.waiting_for_template()
            .filter(template_key=OuterRef("key"))
            .values("template_key")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(waiting=Coalesce(Subquery(waiting), 0))

    @admin.display(description="courriels en attente de ce modèle", ordering="waiting")
    def waiting_count(self, obj):
        return getattr(obj, "waiting", 0)

    def has_add_permission(self, request):
        return False  # templates are created by the code that sends them

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        waiting = OutboxEmail.objects.waiting_for_template(obj.key).count()
        if waiting:
            self.message_user(
                request,
                f"{waiting} courriel(s) qui attendaient ce modèle partiront au prochain passage de l’envoi.",
                messages.SUCCESS,
            )


URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'»]+")
PRIVATE_LINK_MASK = "[lien personnel masqué]"
PRIVATE_URL_KWARGS = {"token", "uidb64"}  # a URL made of one of these opens someone's file or account


def mask_private_links(text: str) -> str:
    """The text with each personal link (an applicant's tracking or draft page, a password reset…) replaced by
    « [lien personnel masqué] »: any site URL whose route takes a token."""

    def mask(match):
        url = match.group(0).rstrip(".,;:!?)")
        after = match.group(0)[len(url) :]  # the sentence's punctuation stays
        try:
            kwargs = resolve(urlsplit(url).path).kwargs
        except Resolver404:
            return match.group(0)
        return PRIVATE_LINK_MASK + after if PRIVATE_URL_KWARGS & kwargs.keys() else match.group(0)

    return URL_IN_TEXT.sub(mask, text)


class OutboxStateFilter(admin.SimpleListFilter):
    title = "état"
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [
            ("modele", "Modèle à corriger"),
            ("attente", "En attente d’envoi"),
            ("envoye", "Envoyé"),
            ("abandonne", "Abandonné"),
        ]

    def queryset(self, request, queryset):
        unsent = queryset.filter(sent_at=None)
        return {
            "modele": unsent.filter(rendered_at=None),
            "attente": unsent.filter(gave_up=False).exclude(rendered_at=None),
            "envoye": queryset.exclude(sent_at=None),
            "abandonne": unsent.filter(gave_up=True),
        }.get(self.value(), queryset)


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["__str__", "template_key", "created_at", "state", "attempts", "short_error"]
    list_filter = [OutboxStateFilter, "template_key"]
    search_fields = ["subject", "template_key"]
    # The context may hold what an applicant typed: only what the mail says is shown.
    fields = [
        "template_link",
        "state",
        "last_error",
        "to",
        "reply_to",
        "subject",
        "body",
        "created_at",
        "rendered_at",
        "next_attempt_at",
        "attempts",
        "sent_at",
        "gave_up",
    ]
    readonly_fields = [*(f for f in fields if f != "body"), "body_text", "masked_body"]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        # Superusers read the text as sent; other staff without the applicants' personal links.
        body = "body_text" if request.user.is_superuser else "masked_body"
        return [body if field == "body" else field for field in self.fields]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description="texte")
    def masked_body(self, obj):
        return mask_private_links(obj.body_text)

    @admin.display(description="état")
    def state(self, obj):
        if obj.sent_at:
            return "Envoyé"
        if obj.rendered_at is None:
            return "Modèle à corriger"
        return "Abandonné" if obj.gave_up else "En attente d’envoi"

    @admin.display(description="motif")
    def short_error(self, obj):
        return obj.last_error if len(obj.last_error) <= 160 else obj.last_error[:159] + "…"

    @admin.display(description="modèle")
    def template_link(self, obj):
        template = EmailTemplate.objects.filter(key=obj.template_key).first()
        if template is None:
            return obj.template_key or "—"
        url = reverse("admin:core_emailtemplate_change", args=[template.pk])
        return format_html('<a href="{}">{} ({})</a>', url, template.subject, template.key)

    @admin.action(description="Réessayer l’envoi des courriels sélectionnés")
    def retry(self, request, queryset):
        count = queryset.filter(sent_at=None).update(gave_up=False, next_attempt_at=timezone.now())
        self.message_user(request, f"{count} courriel(s) seront renvoyés au prochain passage.", messages.SUCCESS)


@admin.register(HomeBlock)
class HomeBlockAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["label", "key", "order", "is_shown"]
    list_editable = ["order", "is_shown"]
    readonly_fields = ["updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # The key is how the code finds the block: fixed once created.
        return [*self.readonly_fields, "key"] if obj else self.readonly_fields


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["term", "abbreviation", "is_published", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["term", "abbreviation", "definition"]
    prepopulated_fields = {"slug": ["term"]}
    readonly_fields = ["updated_at"]


class EasyReadBlockInline(admin.StackedInline):
    model = EasyReadBlock
    extra = 0
    fields = ["order", "heading", "pictogram", "text", "link_url", "link_text"]


@admin.register(EasyReadPage)
class EasyReadPageAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "is_published", "updated_at"]
    list_filter = ["is_published"]
    readonly_fields = ["updated_at"]
    inlines = [EasyReadBlockInline]


# --- The second factor's devices: French names, superusers only, never added here (each agent enrols at the
# first login) and never edited (a key shown or changed in a form would defeat the factor): seen, or removed. ---
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


class StaffDeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__email"]
    fields = ["user", "name", "confirmed"]
    readonly_fields = fields

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    has_view_permission = has_delete_permission = lambda self, request, obj=None: self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StaffAuthenticator)
class StaffAuthenticatorAdmin(StaffDeviceAdmin):
    list_display = [*StaffDeviceAdmin.list_display, "created_at", "last_used_at"]
    fields = readonly_fields = [*StaffDeviceAdmin.fields, "created_at", "last_used_at"]


@admin.register(StaffRecoveryCodes)
class StaffRecoveryCodesAdmin(StaffDeviceAdmin):
    list_display = [*StaffDeviceAdmin.list_display, "remaining"]

    @admin.display(description="codes restants")
    def remaining(self, obj):
        return obj.token_set.count()


from . import admin_users  # noqa: E402, F401  (users and groups: superusers only)
