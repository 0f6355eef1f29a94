"""Public pages of the contrat de ville: the contract, pillars, project catalogue, figures and open data."""

import csv
import json
from itertools import groupby

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Prefetch, Q, Sum
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from langres_portal.core.drafts import note_draft, preview_aware
from langres_portal.core.models import Page
from langres_portal.core.views import open_data, section_crumb, section_page
from microprojets.models import Application
from quartiers.maps import commune_feature
from quartiers.models import Commune, Quartier
from quartiers.views import map_config

from . import charts, opendata
from .forms import ProjectFilterForm
from .models import ConseilCitoyen, Contract, Partner, Pillar, Project, ProjectPhoto, Theme, Video

SECTION_SLUG = "contrat-de-ville"
MAP_PAGE_SLUG = "contrat-de-ville-carte"
MAP_TITLE = "La carte des projets soutenus"
SECTION_TITLE = "Contrat de ville"  # the section's name in the main menu, while its intro Page is unpublished
PER_PAGE = 12


def _section_crumb():
    return section_crumb(SECTION_SLUG, SECTION_TITLE, "contrat_ville:index")


def listed_projects(user=None):
    """Published projects (and drafts for staff who may preview them, given `user`) with what a list shows, in a
    fixed number of queries whatever their number."""
    return (
        (Project.objects.visible_to(user) if user is not None else Project.objects.published())
        .select_related("pillar")
        .prefetch_related(
            "themes",
            Prefetch("quartiers", queryset=Quartier.objects.published().only("id", "name", "slug")),
            Prefetch("photos", queryset=ProjectPhoto.objects.order_by("order", "pk")),
        )
    )


@require_safe
def index(request):
    page = section_page(SECTION_SLUG, SECTION_TITLE)
    today = timezone.localdate()
    contracts = list(Contract.objects.prefetch_related("documents"))
    for contract in contracts:
        contract.current_status = contract.status_on(today)
    partners = Partner.objects.all()
    categories = dict(Partner.Category.choices)
    partner_groups = [
        (categories.get(key, key), list(group))
        for key, group in groupby(
            sorted(partners, key=lambda p: (list(categories).index(p.category), p.order)), key=lambda p: p.category
        )
    ]
    context = {
        "page": page,
        "contracts": contracts,
        "pillars": Pillar.objects.annotate(project_count=Count("projects", filter=_published_q())).order_by(
            "order", "name"
        ),
        "partner_groups": partner_groups,
        "conseil": ConseilCitoyen.objects.first(),
        "videos": Video.objects.filter(is_published=True),
        **Project.objects.published().aggregate(
            project_count=Count("id"), example_count=Count("id", filter=Q(is_example=True))
        ),
        "latest_projects": listed_projects().order_by("-created_at")[:3],
        "breadcrumbs": [(page.title, None)],
    }
    return render(request, "contrat_ville/index.html", context)


def _published_q():
    return Q(projects__is_published=True)


@require_safe
def pillar_detail(request, slug):
    pillar = get_object_or_404(Pillar, slug=slug)
    projects = listed_projects().filter(pillar=pillar)
    paginator = Paginator(projects.order_by("-year_start", "title"), PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "contrat_ville/pillar_detail.html",
        {
            "pillar": pillar,
            "page_obj": page_obj,
            "page_range": paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1),
            "other_pillars": Pillar.objects.exclude(pk=pillar.pk),
            "catalogue_url": reverse("contrat_ville:projects") + f"?pilier={pillar.slug}",
            "breadcrumbs": [_section_crumb(), (pillar.name, None)],
        },
    )


def _filter_form(request):
    years = Project.objects.published().aggregate(
        first=Min("year_start"), last=Max(Greatest("year_start", Coalesce("year_end", "year_start")))
    )
    year_range = range(years["last"], years["first"] - 1, -1) if years["first"] else []
    return ProjectFilterForm(
        request.GET,
        pillars=list(Pillar.objects.all()),
        themes=list(Theme.objects.all()),
        quartiers=list(Quartier.objects.published().only("id", "name", "slug")),
        years=list(year_range),
    )


@require_safe
def project_list(request):
    form = _filter_form(request)
    projects = form.apply(listed_projects())
    paginator = Paginator(projects, PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    filters = form.filters()
    # Only the filters that apply are kept in the pagination links, so a bookmarked list stays clean.
    kept = QueryDict(mutable=True)
    for name, value in filters.items():
        kept[name] = str(value)
    without_search = kept.copy()
    without_search.pop("q", None)
    return render(
        request,
        "contrat_ville/project_list.html",
        {
            "form": form,
            "filters": filters,
            "other_filter_count": len(filters) - ("q" in filters),
            "without_search": without_search.urlencode(),
            "page_obj": page_obj,
            "page_range": paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1),
            "query": kept.urlencode(),
            "columns": opendata.COLUMNS,
            "breadcrumbs": [_section_crumb(), ("Les projets", None)],
        },
    )


@require_safe
@preview_aware
def project_detail(request, slug):
    project = get_object_or_404(listed_projects(request.user).prefetch_related("cofunders"), slug=slug)
    note_draft(request, project)
    related = (
        Project.objects.published()
        .filter(pillar=project.pillar_id)
        .exclude(pk=project.pk)
        .select_related("pillar")
        .prefetch_related(Prefetch("photos", queryset=ProjectPhoto.objects.order_by("order", "pk")))
        .order_by("-year_start", "title")[:3]
    )
    return render(
        request,
        "contrat_ville/project_detail.html",
        {
            "project": project,
            "quartiers": project.quartiers.all(),
            "cofunders": project.cofunders.all(),
            "related": related,
            "breadcrumbs": [
                _section_crumb(),
                ("Les projets", reverse("contrat_ville:projects")),
                (project.title, None),
            ],
        },
    )


def _map_projects():
    return (
        Project.objects.published()
        .only("title", "slug", "year_start", "year_end", "status", "is_example")
        .order_by("-year_start", "title")
    )


def _map_microprojets():
    return Application.objects.funded().only("title", "starts_on", "is_example", "quartier_id").order_by("-starts_on")


@require_safe
def funded_map(request):
    """Funded projects and microprojects by neighbourhood: a map of the neighbourhoods and, beside it, the same
    as a list (its text alternative). A fixed number of queries whatever the number of projects."""
    page = Page.get_text(MAP_PAGE_SLUG) or Page(slug=MAP_PAGE_SLUG, title=MAP_TITLE)
    quartiers = list(
        Quartier.objects.published().prefetch_related(
            Prefetch("projects", queryset=_map_projects(), to_attr="map_projects"),
            Prefetch("microprojets", queryset=_map_microprojets(), to_attr="map_microprojets"),
        )
    )
    citywide_projects = list(_map_projects().filter(quartiers__isnull=True))
    citywide_microprojets = list(_map_microprojets().filter(quartier__isnull=True))
    features = []
    commune = Commune.current()
    if commune and commune.geometry:
        features.append(commune_feature(commune))
    for quartier in quartiers:
        quartier.has_example = any(item.is_example for item in quartier.map_projects + quartier.map_microprojets)
        if quartier.geometry:
            feature = quartier.as_feature()
            n, m = len(quartier.map_projects), len(quartier.map_microprojets)
            feature["properties"]["etiquette"] = (
                f"{quartier.name} : {n} projet{'s' if n > 1 else ''}, {m} microprojet{'s' if m > 1 else ''}"
            )
            features.append(feature)
    every_item = [item for q in quartiers for item in q.map_projects + q.map_microprojets]
    every_item += citywide_projects + citywide_microprojets
    return render(
        request,
        "contrat_ville/map.html",
        {
            "page": page,
            "quartiers": quartiers,
            "citywide_projects": citywide_projects,
            "citywide_microprojets": citywide_microprojets,
            "has_examples": any(item.is_example for item in every_item),
            "map_data": {"type": "FeatureCollection", "features": features} if features else None,
            "map_config": map_config(),
            "breadcrumbs": [_section_crumb(), (page.title, None)],
        },
    )


@require_safe
def figures(request):
    published = Project.objects.published()
    totals = published.aggregate(
        count=Count("id"),
        examples=Count("id", filter=Q(is_example=True)),
        participants=Sum("participants"),
        budget=Sum("budget"),
        funding=Sum("funding"),
    )
    by_year = list(published.values_list("year_start").annotate(n=Count("id")).order_by("year_start"))
    by_pillar = list(
        Pillar.objects.annotate(n=Count("projects", filter=_published_q()))
        .order_by("order", "name")
        .values_list("name", "n")
    )
    by_theme = list(
        Theme.objects.annotate(n=Count("projects", filter=_published_q()))
        .order_by("order", "name")
        .values_list("name", "n")
    )
    chart_list = [
        charts.bar_chart("par-annee", "Projets par année de début", "Année", _every_year(by_year)),
        charts.bar_chart("par-pilier", "Projets par pilier", "Pilier", by_pillar),
        charts.bar_chart(
            "par-thematique",
            "Projets par thématique",
            "Thématique",
            by_theme,
            note="Un projet peut relever de plusieurs thématiques.",
        ),
    ]
    return render(
        request,
        "contrat_ville/figures.html",
        {
            "totals": totals,
            "charts": chart_list,
            "breadcrumbs": [_section_crumb(), ("Les chiffres", None)],
        },
    )


def _every_year(counts):
    """[(year, n)] with the years without a project too, so that the axis does not hide a gap."""
    found = dict(counts)
    years = range(min(found), max(found) + 1) if found else []
    return [(str(year), found.get(year, 0)) for year in years]


@require_safe
def projects_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="projets-contrat-de-ville.csv"'
    # The byte order mark tells French spreadsheet software that the file is UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.name for c in opendata.COLUMNS])
    for row in opendata.rows(request, listed_projects().order_by("year_start", "title")):
        writer.writerow([opendata.as_csv_cell(row[c.name]) for c in opendata.COLUMNS])
    return open_data(response)


@require_safe
def projects_json(request):
    projects = list(opendata.rows(request, listed_projects().order_by("year_start", "title")))
    payload = {
        "titre": "Projets du contrat de ville",
        "licence": "Licence Ouverte / Open Licence 2.0",
        "colonnes": [{"nom": c.name, "description": c.description} for c in opendata.COLUMNS],
        "nombre": len(projects),
        "projets": projects,
    }
    return open_data(
        HttpResponse(json.dumps(payload, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8")
    )


class TextSummaryAtomFeed(Atom1Feed):
    """Atom with each entry's summary sent as text: Django's Atom1Feed marks it type="html", so a reader would
    take a summary's « <script> » (project summaries are plain text, some written by applicants) as markup."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class ProjectFeed(Feed):
    feed_type = TextSummaryAtomFeed
    title = "Projets du contrat de ville"
    description = subtitle = "Les derniers projets publiés du contrat de ville."

    def link(self):
        return reverse("contrat_ville:projects")

    def items(self):
        return Project.objects.published().select_related("pillar").order_by("-created_at")[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.pillar.name]
