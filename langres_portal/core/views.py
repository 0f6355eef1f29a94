"""The site's shell pages: home, editable pages, contact, site map, robots.txt, error pages."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from . import hooks
from .models import Page

# The sections, in the order of the main navigation; each has an intro Page with the same slug.
SECTIONS = [
    ("quartiers", "quartiers:index"),
    ("contrat-de-ville", "contrat_ville:index"),
    ("microprojets", "microprojets:index"),
    ("reussite-educative", "pre:index"),
]


def section_crumb(slug, default_title, url_name):
    """The breadcrumb of a section: the title of its editable intro Page (a default while it is missing), its URL.

    Every section's sub-pages use it, so the crumb always reads as the section page's own heading.
    """
    page = Page.objects.published().filter(slug=slug).only("title").first()
    return (page.title if page else default_title, reverse(url_name))


def section_page(slug, default_title):
    """The intro Page of a section, or, while staff have it unpublished (or it is missing), an unsaved Page with
    the section's name and no text: the main menu always links to the section, so its page must still answer.
    """
    return Page.get_text(slug) or Page(slug=slug, title=default_title)


def open_data(response):
    """Public data without cookies: any site or script may read it (CORS), as open data portals expect."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@require_GET
def home(request):
    pages = {p.slug: p for p in Page.objects.published().filter(slug__in=["accueil"] + [s for s, _ in SECTIONS])}
    sections = [(pages[slug], reverse(url_name)) for slug, url_name in SECTIONS if slug in pages]
    blocks = hooks.home_blocks(request)
    return render(
        request,
        "core/home.html",
        {
            "page": pages.get("accueil"),
            "sections": sections,
            # What residents act on (an open call, the address check) comes before the section cards.
            "first_blocks": [b for b in blocks if b.get("rank", 100) < 50],
            "blocks": [b for b in blocks if b.get("rank", 100) >= 50],
        },
    )


def page_view(slug, template="core/page.html"):
    """A view that shows the editable Page `slug`."""

    @require_GET
    def view(request):
        page = Page.get_text(slug)
        if page is None:
            raise Http404("Page absente")
        return render(request, template, {"page": page, "breadcrumbs": [(page.title, None)]})

    view.__name__ = f"page_{slug.replace('-', '_')}"
    return view


@require_GET
def site_map(request):
    page = Page.get_text("plan-du-site")
    return render(
        request,
        "core/site_map.html",
        {"page": page, "groups": hooks.site_map_groups(), "breadcrumbs": [("Plan du site", None)]},
    )


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        "Disallow: /microprojets/suivi/",
        "Disallow: /microprojets/dossier/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def page_not_found(request, exception):
    return render(request, "404.html", {"page": Page.get_text("page-introuvable")}, status=404)


def server_error(request):
    # No database, no context processor: the page must render even when they are what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


# --- Staff login (issue 11, item 7): the admin's 403 ---------------------------------------------------------------

# The role (group) to ask for, by admin model ("app_label.model_name") or whole app; the rest is public content.
ROLE_EDITORS = "Rédaction"
ROLE_BY_MODEL = {
    "pre.contactrequest": "Coordination PRE",
    "microprojets": "Instructeur microprojets",
}
# Accounts, groups, the login journal, second-factor devices and the outbox stay with the superusers.
SUPERUSER_ONLY = {"auth", "axes", "otp_totp", "otp_static", "core.outboxemail"}
ROLES = {ROLE_EDITORS, "Coordination PRE", "Instructeur microprojets"}


def required_role(request, exception=None) -> str | None:
    """The role an admin page needs, or None when only a superuser may open it.

    A view may name it itself: `raise PermissionDenied("Coordination PRE")`.
    """
    from django.contrib import admin

    if exception is not None and exception.args and exception.args[0] in ROLES:
        return exception.args[0]
    match = request.resolver_match
    model_label = ""
    if match is not None and match.app_name == "admin":
        url_name = match.url_name or ""
        if url_name == "app_list":
            model_label = match.kwargs.get("app_label", "")
        for model in admin.site._registry:
            if url_name.startswith(f"{model._meta.app_label}_{model._meta.model_name}_"):
                model_label = model._meta.label_lower
                break
    app_label = model_label.split(".")[0]
    if model_label in SUPERUSER_ONLY or app_label in SUPERUSER_ONLY:
        return None
    return ROLE_BY_MODEL.get(model_label) or ROLE_BY_MODEL.get(app_label) or ROLE_EDITORS


def admin_permission_denied(request, exception=None):
    """The admin's 403: French, on the admin's layout, and saying which role to ask an administrator for."""
    from django.contrib import admin

    context = {
        **admin.site.each_context(request),
        "title": "Accès refusé",
        "role": required_role(request, exception),
        "is_nav_sidebar_enabled": False,
    }
    return render(request, "admin/403.html", context, status=403)


def permission_denied(request, exception=None):
    """handler403: the admin's own page under the admin's path, Django's default elsewhere (public pages)."""
    from django.views import defaults

    if request.path.startswith(reverse("admin:index")):
        return admin_permission_denied(request, exception)
    return defaults.permission_denied(request, exception)
