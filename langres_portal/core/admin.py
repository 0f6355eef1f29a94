from django.contrib import admin, messages

from .models import EmailTemplate, OutboxEmail, Page, SiteIdentity


class SingleRowAdminMixin:
    """A settings model with one row: it may be added (with the add permission) only while none exists, and is
    never deleted, since the pages read it on every request."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not self.model.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SiteIdentity)
class SiteIdentityAdmin(SingleRowAdminMixin, admin.ModelAdmin):
    list_display = ["service_name", "commune_name", "phone", "email", "accessibility_status"]
    fieldsets = [
        ("Collectivité et service", {"fields": ["commune_name", "service_name", "tagline", "website_url"]}),
        ("Coordonnées", {"fields": ["address", "postcode", "city", "phone", "email", "opening_hours"]}),
        ("Logo", {"fields": ["logo", "logo_alt"]}),
        ("Accessibilité", {"fields": ["accessibility_status"]}),
    ]


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "is_published", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["title", "summary", "body"]
    readonly_fields = ["updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # The slug ties a page to its place on the site: fixed once created.
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    list_display = ["subject", "key", "updated_at"]
    search_fields = ["subject", "body"]
    readonly_fields = ["key", "variables", "updated_at"]

    def has_add_permission(self, request):
        return False  # templates are created by the code that sends them

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "created_at", "sent_at", "attempts", "gave_up"]
    list_filter = ["gave_up", ("sent_at", admin.EmptyFieldListFilter)]
    readonly_fields = [f.name for f in OutboxEmail._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Réessayer l’envoi des courriels sélectionnés")
    def retry(self, request, queryset):
        from django.utils import timezone

        count = queryset.filter(sent_at=None).update(gave_up=False, next_attempt_at=timezone.now())
        self.message_user(request, f"{count} courriel(s) seront renvoyés au prochain passage.", messages.SUCCESS)
