"""The site's shell pages: home, editable pages, contact, site map, robots.txt, error pages."""

import unicodedata
from dataclasses import dataclass

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import colors, hooks, roles
from .drafts import note_draft, preview_aware
from .models import EasyReadPage, GlossaryTerm, HomeBlock, Page, SiteIdentity, page_place
from .permissions import ROLE_EDITORS, ROLES

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


@require_safe
def home(request):
    pages = {p.slug: p for p in Page.objects.published().filter(slug__in=["accueil"] + [s for s, _ in SECTIONS])}
    sections = [(pages[slug], reverse(url_name)) for slug, url_name in SECTIONS if slug in pages]
    page = pages.get("accueil")
    blocks = hooks.home_blocks(request)
    if sections:
        blocks.append({"key": "rubriques", "template": "core/home_sections.html", "sections": sections, "rank": 60})
    if page and (page.summary or page.body):
        blocks.append({"key": "en-bref", "template": "core/home_text.html", "page": page, "rank": 90})
    return render(request, "core/home.html", {"page": page, "blocks": arrange_home_blocks(blocks)})


def arrange_home_blocks(blocks):
    """The blocks in the order staff chose (HomeBlock), hidden ones left out; a block staff have not placed yet
    comes after the placed ones, in its app's order (what residents act on first)."""
    placed = {block.key: block for block in HomeBlock.objects.all()}
    shown = [b for b in blocks if b.get("key") not in placed or placed[b["key"]].is_shown]
    return sorted(
        shown, key=lambda b: (0, placed[b["key"]].order) if b.get("key") in placed else (1, b.get("rank", 100))
    )


@require_safe
def glossary(request):
    page = Page.get_text("glossaire") or Page(slug="glossaire", title="Glossaire")
    terms = sorted(GlossaryTerm.objects.published(), key=lambda t: collation_key(t.label))
    return render(request, "core/glossary.html", {"page": page, "terms": terms, "breadcrumbs": [(page.title, None)]})


def collation_key(text):
    """Alphabetical order as a French reader expects it: É with E, case ignored."""
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))


@require_safe
def easy_read(request, slug):
    easy = EasyReadPage.objects.published().filter(slug__in=EasyReadPage.Of.values).filter(slug=slug).first()
    if easy is None:
        raise Http404("Page absente")
    ordinary = Page.objects.published().filter(slug=slug).only("title").first()
    url = easy.ordinary_url
    crumbs = [] if slug == "accueil" else [(ordinary.title if ordinary else easy.title, url)]
    return render(
        request,
        "core/easy_read.html",
        {
            "easy": easy,
            "blocks": list(easy.blocks.all()),
            "ordinary_url": url,
            "breadcrumbs": [*crumbs, (easy.title, None)],
        },
    )


def page_view(slug, template="core/page.html"):
    """A view that shows the editable Page `slug`."""

    @require_safe
    def view(request):
        page = Page.get_text(slug)
        if page is None:
            raise Http404("Page absente")
        return render(request, template, {"page": page, "breadcrumbs": [(page.title, None)]})

    view.__name__ = f"page_{slug.replace('-', '_')}"
    return view


@require_safe
@preview_aware
def standalone_page(request, slug):
    """A page staff added in the admin, whose slug no other page uses for its text (see models.PAGE_PLACES)."""
    if page_place(slug) is not None:
        raise Http404("Texte d’une autre page")
    page = get_object_or_404(Page.objects.visible_to(request.user), slug=slug)
    note_draft(request, page)
    return render(request, "core/page.html", {"page": page, "breadcrumbs": [(page.title, None)]})


@require_safe
def site_map(request):
    page = Page.get_text("plan-du-site")
    return render(
        request,
        "core/site_map.html",
        {"page": page, "groups": hooks.site_map_groups(), "breadcrumbs": [("Plan du site", None)]},
    )


@require_safe
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


THEME_CSS = """:root {{
  --site-primary: {primary};
  --site-primary-dark: {dark};
  --site-primary-rgb: {rgb};
  --bs-primary: {primary};
  --bs-primary-rgb: {rgb};
  --bs-link-color: {primary};
  --bs-link-color-rgb: {rgb};
  --bs-link-hover-color: {dark};
  --bs-link-hover-color-rgb: {dark_rgb};
}}
"""


@require_safe
def theme_css(request):
    """The site's main colour (SiteIdentity, checked at 4.5:1 with white) as CSS custom properties.

    A stylesheet rather than a style="" attribute, so that the Content-Security-Policy keeps style-src 'self'.
    Its address carries the identity's version (base.html): that address never changes content, so browsers
    keep it for a year; any other version gets a short lifetime.
    """
    site = SiteIdentity.current()
    dark = site.main_color_dark
    css = THEME_CSS.format(
        primary=site.main_color, dark=dark, rgb=site.main_color_rgb, dark_rgb=colors.rgb_triplet(dark)
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    if request.GET.get("v") == site.theme_version:
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "public, max-age=300"
    return response


@dataclass(frozen=True)
class ErrorText:
    """An error page's words while its editable Page (slug) is missing or unpublished: what happened, what to do."""

    code: int
    slug: str
    title: str
    summary: str
    advice: str


ERRORS = {
    "400": ErrorText(
        400,
        "erreur-demande-incomprise",
        "Demande incomprise",
        "Le site n’a pas pu lire ce que votre navigateur a envoyé : la demande était incomplète ou mal formée. "
        "Rien n’a été enregistré.",
        "Revenez à la page précédente, rechargez-la, puis recommencez. Si cela se reproduit, appelez le service.",
    ),
    "403": ErrorText(
        403,
        "erreur-acces-refuse",
        "Accès refusé",
        "Cette page est réservée aux agents du service, ou l’action demandée ne vous est pas permise.",
        "Si vous êtes agent, connectez-vous à l’administration avec votre compte. Sinon, repartez de l’accueil.",
    ),
    "csrf": ErrorText(
        403,
        "erreur-formulaire-expire",
        "Formulaire expiré",
        "Le formulaire n’a pas pu être envoyé : la page était ouverte depuis longtemps, ou votre navigateur "
        "bloque le cookie du site. Rien n’a été enregistré.",
        "Copiez ce que vous aviez écrit, revenez au formulaire, rechargez la page puis envoyez-le à nouveau. "
        "Le site n’utilise qu’un cookie technique, sans aucun suivi : s’il est bloqué, autorisez-le pour ce site.",
    ),
    "404": ErrorText(
        404,
        "page-introuvable",
        "Page introuvable",
        "L’adresse demandée n’existe pas ou plus : elle a peut-être été mal recopiée, ou la page a été déplacée.",
        "Vous pouvez repartir de l’accueil ou du plan du site, ou nous appeler : nous vous aiderons.",
    ),
    "413": ErrorText(
        413,
        "erreur-envoi-trop-volumineux",
        "Votre envoi est trop volumineux",
        "Ce que vous avez envoyé dépasse la taille autorisée. Rien n’a été enregistré.",
        "Revenez au formulaire avec le bouton « Précédent » de votre navigateur, raccourcissez votre texte ou "
        "choisissez des fichiers plus petits, puis envoyez-le à nouveau.",
    ),
    "429": ErrorText(
        429,
        "erreur-trop-d-envois",
        "Trop d’envois depuis votre connexion",
        "Pour protéger le service, le nombre d’envois depuis une même connexion est limité.",
        "Réessayez dans une heure, ou appelez directement le service aux coordonnées ci-dessous.",
    ),
}


def error_response(request, key: str, template: str | None = None, **context) -> HttpResponse:
    """The French error page `key` of ERRORS, on the site's layout, with its status; its words are the
    editable Page of the same slug when staff have published one.

    Without a database (the page, the site's identity and the menu come from it), the standalone 500 page
    with this error's status: a visitor always gets an answer, never a second error.
    """
    error = ERRORS[key]
    try:
        page = Page.get_text(error.slug)
        context = {"error": error, "page": page, **context}
        return render(request, template or f"{error.code}.html", context, status=error.code)
    except DatabaseError:
        response = server_error(request)
        response.status_code = error.code
        return response


def bad_request(request, exception):
    # Django's DATA_UPLOAD_MAX_MEMORY_SIZE and the file/field counts raise a 400: too big is a 413 for the visitor.
    if isinstance(exception, RequestDataTooBig):
        return error_response(request, "413")
    return error_response(request, "400")


def public_permission_denied(request, exception=None):
    return error_response(request, "403")


def page_not_found(request, exception):
    return error_response(request, "404")


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: a form sent from an expired page or without the cookie."""
    return error_response(request, "csrf")


def server_error(request):
    # No database, no context processor: the page must render even when they are what failed. The stylesheets
    # come from the static files' manifest: should that fail too, the page renders without them.
    template = loader.get_template("500.html")
    try:
        html = template.render({"stylesheets": True})
    except Exception:  # noqa: BLE001 - the last resort page must render whatever else is broken
        html = template.render({"stylesheets": False})
    return HttpResponse(html, status=500)


# --- Staff login (issue 11, item 7): the admin's 403 ---------------------------------------------------------------

# Accounts, groups, the login journal, second-factor devices and the outbox stay with the superusers.
SUPERUSER_ONLY = {"auth", "axes", "otp_totp", "otp_static", "core.outboxemail"}


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
    # The role whose permissions (core.roles) cover the model; the rest (an app's index…) is public content.
    return roles.role_for(model_label) or ROLE_EDITORS


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
    """handler403: the admin's own page under the admin's path, the site's French page elsewhere."""
    if request.path.startswith(reverse("admin:index")):
        return admin_permission_denied(request, exception)
    return public_permission_denied(request, exception)
