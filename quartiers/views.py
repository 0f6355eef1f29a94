from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from contrat_ville.models import Project
from langres_portal.core.drafts import note_draft, preview_aware
from langres_portal.core.models import Page
from langres_portal.core.views import open_data, section_crumb, section_page
from microprojets.models import Application

from . import services
from .forms import AddressLookupForm
from .maps import commune_feature, thumbnail
from .models import Commune, Quartier, Street

SECTION_SLUG = "quartiers"
SECTION_TITLE = "Quartiers"  # the section's name in the main menu, while its intro Page is unpublished
LOOKUP_PAGE_SLUG = "quartiers-mon-adresse"
# Each status is explained to residents by a Page whose slug is this prefix followed by the status.
STATUS_PAGE_PREFIX = "quartiers-statut-"
# What an answer opens, in plain words staff edit: each Page's title is a link, its summary the sentence after it.
# « Oui » (priority neighbourhood): a microproject, the PRE, the contrat de ville's actions in the neighbourhood.
ANSWER_PAGE_PREFIX = "quartiers-reponse-"
YES_LINKS = ["microprojet", "pre", "actions"]
# « Non » (and a neighbourhood under watch): the PRE also takes children schooled in the neighbourhood.
NO_LINKS = ["pre-ecoles"]
UNKNOWN_TEXT = "inconnue"  # « Rue inconnue » without suggestion: what to do
GEOJSON_TYPE = "application/geo+json"


def map_config():
    return {"tilesUrl": settings.MAP_TILES_URL, "attribution": settings.MAP_TILES_ATTRIBUTION}


def _streets_qs():
    return Street.objects.order_by("normalized_name", "number_from", "side", "pk")


@require_safe
def index(request):
    page = section_page(SECTION_SLUG, SECTION_TITLE)
    quartiers = list(Quartier.objects.published().prefetch_related(Prefetch("streets", queryset=_streets_qs())))
    commune = Commune.current()
    slugs = [STATUS_PAGE_PREFIX + status for status in Quartier.Status.values]
    explanations = {p.slug: p for p in Page.objects.published().filter(slug__in=slugs)}  # one query for all
    groups = []
    for status, label in Quartier.Status.choices:
        members = [q for q in quartiers if q.status == status]
        if members:
            groups.append((status, label, members, explanations.get(STATUS_PAGE_PREFIX + status)))
    for quartier in quartiers:
        quartier.thumbnail = thumbnail(quartier.geometry, commune.geometry if commune else None)
    features = [q.as_feature() for q in quartiers if q.geometry]
    if commune and commune.geometry:
        features.insert(0, commune_feature(commune))
    context = {
        "page": page,
        "groups": groups,
        "quartiers": quartiers,
        "commune": commune,
        "map_data": {"type": "FeatureCollection", "features": features} if features else None,
        "map_config": map_config(),
        "breadcrumbs": [(page.title, None)],
    }
    return render(request, "quartiers/index.html", context)


@require_safe
@preview_aware
def detail(request, slug):
    quartier = get_object_or_404(
        Quartier.objects.visible_to(request.user).prefetch_related(
            "status_history",
            "figures",
            "photos",
            Prefetch("streets", queryset=_streets_qs()),
            Prefetch(
                "projects",
                queryset=Project.objects.published().only("title", "slug", "year_start", "year_end", "is_example"),
                to_attr="published_projects",
            ),
            Prefetch(
                "microprojets",
                queryset=Application.objects.funded().only("title", "starts_on", "is_example", "quartier_id"),
                to_attr="funded_microprojets",
            ),
        ),
        slug=slug,
    )
    note_draft(request, quartier)
    commune = Commune.current()
    # The commune outline gives the perimeter its context, and stands in for it until it is imported.
    features = [commune_feature(commune)] if commune and commune.geometry else []
    if quartier.geometry:
        features.append(quartier.as_feature())
    context = {
        "quartier": quartier,
        "status_page": Page.get_text(STATUS_PAGE_PREFIX + quartier.status),
        "streets": list(quartier.streets.all()),
        "commune": commune,
        "map_data": {"type": "FeatureCollection", "features": features} if features else None,
        "map_config": map_config(),
        "breadcrumbs": [section_crumb(SECTION_SLUG, SECTION_TITLE, "quartiers:index"), (quartier.name, None)],
    }
    return render(request, "quartiers/detail.html", context)


def _geojson_response(data, filename):
    response = JsonResponse(data, content_type=GEOJSON_TYPE, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return open_data(response)  # reusable from any site


@require_safe
def quartier_geojson(request, slug):
    quartier = get_object_or_404(Quartier.objects.published(), slug=slug)
    if not quartier.geometry:
        raise Http404("Pas encore de périmètre pour ce quartier")
    data = {"type": "FeatureCollection", "features": [quartier.as_feature(request)]}
    return _geojson_response(data, f"{quartier.slug}.geojson")


@require_safe
def perimeters_geojson(request):
    quartiers = Quartier.objects.published().exclude(perimeter="")
    data = {"type": "FeatureCollection", "features": [q.as_feature(request) for q in quartiers]}
    return _geojson_response(data, "perimetres.geojson")


def street_names():
    """The known streets, for the address fields' <datalist> (one query)."""
    return Street.objects.order_by("name").values_list("name", flat=True).distinct()


def answer_texts(result: services.AddressLookup | None) -> dict:
    """What the answer opens or leaves possible, as [(Page, url)], and the unknown street's advice (one query)."""
    if result is None:
        return {"answer_links": [], "unknown_text": None}
    if result.status == "qpv":
        keys = YES_LINKS
    elif result.status in ("outside", "veille"):
        keys = NO_LINKS
    elif result.street is None and not result.suggestions:
        keys = [UNKNOWN_TEXT]
    else:
        keys = []
    pages = (
        {
            p.slug.removeprefix(ANSWER_PAGE_PREFIX): p
            for p in Page.objects.published().filter(slug__in=[ANSWER_PAGE_PREFIX + key for key in keys])
        }
        if keys
        else {}
    )
    urls = {
        "microprojet": reverse("microprojets:index"),
        "pre": reverse("pre:index"),
        "pre-ecoles": reverse("pre:index"),
        "actions": reverse("contrat_ville:projects") + f"?{urlencode({'quartier': result.quartier.slug})}"
        if result.quartier
        else reverse("contrat_ville:projects"),
    }
    links = [(pages[key], urls[key]) for key in keys if key in pages and key in urls]
    return {"answer_links": links, "unknown_text": pages.get(UNKNOWN_TEXT)}


@require_safe
def address_lookup(request):
    page = Page.get_text(LOOKUP_PAGE_SLUG)
    submitted = "rue" in request.GET
    form = AddressLookupForm(request.GET if submitted else None)
    result = None
    if submitted and form.is_valid():
        result = services.lookup_address(form.cleaned_data["rue"], form.cleaned_data["numero"])
    context = {
        "page": page,
        "form": form,
        "result": result,
        **answer_texts(result),
        "street_names": street_names(),
        "breadcrumbs": [
            section_crumb(SECTION_SLUG, SECTION_TITLE, "quartiers:index"),
            (page.title if page else "Mon adresse", None),
        ],
    }
    return render(request, "quartiers/address_lookup.html", context)
