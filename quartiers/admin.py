from django import forms
from django.contrib import admin

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
class QuartierAdmin(admin.ModelAdmin):
    form = QuartierAdminForm
    list_display = ["name", "status", "code_qpv", "has_perimeter", "order", "is_published"]
    list_filter = ["status", "is_published"]
    search_fields = ["name", "code_qpv"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StatusPeriodInline, KeyFigureInline, PhotoInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "code_qpv", "order", "is_published"]}),
        ("Textes", {"fields": ["summary", "presentation"]}),
        (
            "Périmètre",
            {
                "fields": [
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

    @admin.display(description="périmètre", boolean=True)
    def has_perimeter(self, obj):
        return bool(obj.perimeter)


class StreetAdminForm(forms.ModelForm):
    class Meta:
        model = Street
        fields = ["name", "quartier", "number_from", "number_to", "side"]


@admin.register(Street)
class StreetAdmin(admin.ModelAdmin):
    form = StreetAdminForm
    list_display = ["name", "quartier", "number_from", "number_to", "side", "is_example"]
    list_filter = ["quartier", "side", "is_example"]
    search_fields = ["name", "normalized_name"]
    list_select_related = ["quartier"]
    readonly_fields = ["is_example"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "code_insee", "boundary_source"]
    fields = ["name", "code_insee", "boundary", "boundary_source"]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["widgets"] = {"boundary": GEOJSON_WIDGET}
        return super().get_form(request, obj, **kwargs)
