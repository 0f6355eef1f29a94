from django import forms
from django.contrib import admin
from django.utils.html import format_html

from langres_portal.core.history_admin import HistoryAdminMixin

from .maps import thumbnail
from .models import Commune, KeyFigure, Photo, Quartier, StatusPeriod, Street

GEOJSON_WIDGET = forms.Textarea(attrs={"rows": 8, "cols": 100, "spellcheck": "false", "class": "vLargeTextField"})


class StatusPeriodInline(admin.TabularInline):
    model = StatusPeriod
    extra = 0


class KeyFigureInline(admin.TabularInline):
    model = KeyFigure
    extra = 0


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0


class QuartierAdminForm(forms.ModelForm):
    class Meta:
        model = Quartier
        fields = [
            "name",
            "slug",
            "status",
            "code_qpv",
            "summary",
            "presentation",
            "perimeter",
            "perimeter_source",
            "perimeter_is_example",
            "perimeter_description",
            "official_map_url",
            "order",
            "is_published",
        ]
        widgets = {"perimeter": GEOJSON_WIDGET}


@admin.register(Quartier)
class QuartierAdmin(HistoryAdminMixin, admin.ModelAdmin):
    form = QuartierAdminForm
    list_display = ["name", "status", "code_qpv", "has_perimeter", "order", "is_published"]
    list_filter = ["status", "is_published"]
    search_fields = ["name", "code_qpv"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StatusPeriodInline, KeyFigureInline, PhotoInline]
    readonly_fields = ["perimeter_preview"]

    def get_deleted_objects(self, objs, request):
        """A neighbourhood that projects name is protected (Quartier.delete): list those projects as Django lists
        protected objects, so the page explains it and offers no « Oui, je suis sûr » (single and bulk delete)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        from contrat_ville.models import Project

        quartier_ids = [obj.pk for obj in objs]
        used = Project.objects.filter(quartiers__in=quartier_ids).distinct().order_by("title")
        protected = [*protected, *(format_html("Projet : {}", project.title) for project in used)]
        return deleted, counts, perms_needed, protected

    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "code_qpv", "order", "is_published"]}),
        ("Textes", {"fields": ["summary", "presentation"]}),
        (
            "Périmètre",
            {
                "fields": [
                    "perimeter_preview",
                    "perimeter",
                    "perimeter_source",
                    "perimeter_is_example",
                    "perimeter_description",
                    "official_map_url",
                ],
                "description": "Le tracé officiel s’importe avec la commande import_qpv_perimeter depuis le fichier "
                "national de l’ANCT. Un tracé invalide est refusé et le précédent est conservé.",
            },
        ),
    ]

    @admin.display(description="aperçu du tracé enregistré")
    def perimeter_preview(self, obj):
        # What is stored, not what was just typed: after a refused change, the kept perimeter is shown.
        stored = Quartier.objects.filter(pk=obj.pk).first() if obj.pk else None
        commune = Commune.current()
        drawing = thumbnail(stored.geometry if stored else None, commune.geometry if commune else None)
        if not drawing or not drawing["path"]:
            return "Aucun tracé enregistré."
        return format_html(
            '<svg viewBox="0 0 {0} {0}" width="{0}" height="{0}" role="img" aria-label="Tracé de {1} dans la commune">'
            '<path d="{2}" fill="#e9ecef" stroke="#495057" stroke-dasharray="4 3"/>'
            '<path d="{3}" fill="#1b4f8a" fill-opacity="0.35" stroke="#1b4f8a" stroke-width="2"/></svg>',
            drawing["size"],
            obj.name,
            drawing["context_path"],
            drawing["path"],
        )

    @admin.display(description="périmètre", boolean=True)
    def has_perimeter(self, obj):
        return bool(obj.perimeter)


class StreetAdminForm(forms.ModelForm):
    class Meta:
        model = Street
        fields = ["name", "quartier", "number_from", "number_to", "side"]


@admin.register(Street)
class StreetAdmin(HistoryAdminMixin, admin.ModelAdmin):
    form = StreetAdminForm
    list_display = ["name", "quartier", "number_from", "number_to", "side", "is_example"]
    list_filter = ["quartier", "side", "is_example"]
    search_fields = ["name", "normalized_name"]
    list_select_related = ["quartier"]
    readonly_fields = ["is_example"]


@admin.register(Commune)
class CommuneAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code_insee", "boundary_source"]
    fields = ["name", "code_insee", "boundary", "boundary_source"]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["widgets"] = {"boundary": GEOJSON_WIDGET}
        return super().get_form(request, obj, **kwargs)
