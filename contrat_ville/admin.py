from django import forms
from django.contrib import admin
from django.db.models import Count

from langres_portal.core.admin_widgets import ACCESSIBLE_FORMFIELDS
from langres_portal.core.history_admin import HistoryAdminMixin
from langres_portal.core.uploads import IMAGE_TYPES

from .images import make_renditions
from .models import (
    ConseilCitoyen,
    Contract,
    ContractDocument,
    Partner,
    Pillar,
    Project,
    ProjectCofunder,
    ProjectPhoto,
    Theme,
    Video,
)


class ContractDocumentInline(admin.TabularInline):
    model = ContractDocument
    extra = 0


@admin.register(Contract)
class ContractAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["title", "start", "planned_end", "extended_end", "status_label"]
    inlines = [ContractDocumentInline]

    @admin.display(description="statut")
    def status_label(self, obj):
        return obj.status.label


@admin.register(Partner)
class PartnerAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "category", "order"]
    list_filter = ["category"]
    list_editable = ["order"]
    search_fields = ["name"]


@admin.register(Pillar)
class PillarAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Theme)
class ThemeAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "order", "project_count"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(project_count=Count("projects"))

    @admin.display(description="projets", ordering="project_count")
    def project_count(self, obj):
        return obj.project_count


@admin.register(ConseilCitoyen)
class ConseilCitoyenAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "updated_at"]


@admin.register(Video)
class VideoAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["title", "url", "is_published", "order"]


class ProjectPhotoForm(forms.ModelForm):
    """Takes an upload and stores its re-encoded renditions, never the file itself."""

    upload = forms.FileField(
        label="photo",
        required=False,
        help_text="JPEG, PNG, WebP ou GIF, 40 mégapixels au plus. Les métadonnées (position GPS…) sont supprimées.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMAGE_TYPES)}),
    )

    class Meta:
        model = ProjectPhoto
        fields = ["upload", "alt", "is_decorative", "caption", "order"]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            # Renditions are made now, in memory: if any form of the page is invalid, nothing is written.
            self.renditions = make_renditions(upload)
        elif not self.instance.pk:
            raise forms.ValidationError("Choisissez une photo à envoyer.")
        return upload

    def save(self, commit=True):
        renditions = getattr(self, "renditions", None)
        if renditions:
            self.instance.small = renditions.small
            self.instance.large = renditions.large
        return super().save(commit)


class ProjectPhotoInline(admin.StackedInline):
    model = ProjectPhoto
    form = ProjectPhotoForm
    extra = 1
    readonly_fields = ["preview"]
    fields = ["preview", "upload", "alt", "is_decorative", "caption", "order"]

    @admin.display(description="aperçu")
    def preview(self, obj):
        from django.utils.html import format_html

        if not obj.pk or not obj.small:
            return "—"
        return format_html('<img src="{}" alt="{}" width="200">', obj.small.url, obj.image_alt())


class ProjectCofunderInline(admin.StackedInline):  # a tabular one has an empty header cell (axe)
    model = ProjectCofunder
    extra = 0
    fields = ["name", "amount", "order"]


@admin.register(Project)
class ProjectAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["title", "year_start", "status", "pillar", "porteur_name", "is_published", "is_example"]
    list_filter = [
        "is_published", "is_example", "status", "pillar", "themes", "porteur_kind", "year_start", "quartiers",
    ]  # fmt: skip
    list_select_related = ["pillar"]
    search_fields = ["title", "porteur_name", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = ACCESSIBLE_FORMFIELDS  # themes and quartiers as boxes, the date as one labelled input
    date_hierarchy = "created_at"
    inlines = [ProjectCofunderInline, ProjectPhotoInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "year_start", "year_end", "status", "pillar", "themes"]}),
        ("Lieu", {"fields": ["quartiers", "place"]}),
        ("Porteur", {"fields": ["porteur_name", "porteur_kind"]}),
        ("Contenu", {"fields": ["summary", "description", "outcome"]}),
        ("Chiffres", {"fields": ["participants", "budget", "funding"]}),
        ("Publication", {"fields": ["is_published", "is_example", "created_at"]}),
    ]
