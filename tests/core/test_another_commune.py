"""Another commune runs the portal (issue 11, item 10): the fictional « Ville de Bourg-Fontaine » folder loads into
an empty database through INITIAL_CONTENT_DIR, and no public answer of the site it builds (every page, detail
page, private link, error page, feed, file and stylesheet) says anything about Langres. The code itself holds
no Langres fact: the commune is data.
"""

import os
import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import resolve, reverse

from langres_portal.core import views as core_views
from langres_portal.core.emails import dump_context, email_specs, render_email
from langres_portal.core.models import EmailTemplate, Page, SiteIdentity
from tests.fuzz.site_map import MAX_PAGES, discover
from tests.ratelimits import reset_rate_limits

CONTENT = Path(settings.BASE_DIR) / "langres_portal" / "initial_content"
# Another folder can be put through the same crawl: ANOTHER_COMMUNE_DIR=path/to/folder (README « Une autre commune »).
FICTIONAL = Path(os.environ.get("ANOTHER_COMMUNE_DIR") or CONTENT / "bourg-fontaine").resolve()
LANGRES = CONTENT / "langres"

# What would betray Langres on another commune's site: its name, its service's address (avenue du Général de Gaulle,
# « Bâtiment les Tulipes », 52200), phones and e-mail domain, its département, its neighbourhoods, schools and
# codes. Case-sensitive for « Langres » only where the code's package name (langres_portal) could appear.
LEAKS = re.compile(
    r"Langres|LANGRES|langres\.fr|Haute-Marne|Haute Marne|Général[ -]de[ -]Gaulle|Tulipes|52200|52269"
    r"|03[ .]?25[ .]?87[ .]?77[ .]?90|\+33325877790|06[ .]?78[ .]?27[ .]?18[ .]?82|\+33678271882"
    r"|Quartiers? Neufs?|quartiers-neufs|QN05203M|QP052003|CV165|Ouches|Turenne|Bonnelle|Grenouille|Hamaris"
    r"|Ma vie, mon quartier",
)


def leaks_in(text: str) -> list[str]:
    return sorted({m.group(0) for m in LEAKS.finditer(text)})


def keys_of(folder: Path) -> set[str]:
    """Every piece of content a folder provides, named as the loaders look it up (« pages:accueil »…)."""
    data = {}
    for path in sorted(folder.glob("*.toml")):
        with open(path, "rb") as fh:
            for key, value in tomllib.load(fh).items():
                if isinstance(value, list):
                    data.setdefault(key, []).extend(value)
                else:
                    data.setdefault(key, {}).update(value)
    keys = {f"site.{name}" for name in data.get("site", {})}
    keys |= {f"pages:{p['slug']}" for p in data.get("pages", [])}
    keys |= {f"email_templates:{t['key']}" for t in data.get("email_templates", [])}
    keys |= {f"microprojets_eligibility:{e['key']}" for e in data.get("microprojets_eligibility", [])}
    pre, cv = data.get("pre", {}), data.get("contrat_ville", {})
    keys |= {f"pre.settings.{name}" for name in pre.get("settings", {})}
    keys |= {f"pre.sections:{s['slug']}" for s in pre.get("sections", [])}
    keys |= {f"contrat_ville.{table}" for table in cv}
    keys |= {f"contrat_ville.pillars:{p['slug']}" for p in cv.get("pillars", [])}
    keys |= {f"contrat_ville.themes:{t['slug']}" for t in cv.get("themes", [])}
    keys |= {f"quartiers.{table}" for table in data.get("quartiers", {})}
    # Any other table another helper adds later (a glossary, reminders…): named by its top-level key.
    keys |= {key for key in data if key not in {"site", "pages", "email_templates", "microprojets_eligibility"}}
    return keys


# --- The folder ---------------------------------------------------------------------------------------------------


def test_the_fictional_folder_holds_no_langres_fact():
    for path in sorted(FICTIONAL.glob("*.toml")):
        assert leaks_in(path.read_text(encoding="utf-8")) == [], path.name


def test_what_the_fictional_folder_lacks_is_optional(capsys):
    """What Langres's folder has and the fictional one lacks is listed, never a failure: the site falls back to
    generic words (a section without its intro page, an e-mail without its template is logged as « à corriger »).
    Only the identity is required: the header, the footer and every e-mail read it."""
    lacking = sorted(keys_of(LANGRES) - keys_of(FICTIONAL))
    with capsys.disabled():
        print(f"\nContenu de Langres absent du dossier {FICTIONAL.name} ({len(lacking)}) : {', '.join(lacking)}")
    required = {
        f"site.{f.name}"
        for f in SiteIdentity._meta.get_fields()
        if getattr(f, "blank", True) is False and f.name != "id" and not getattr(f, "has_default", lambda: False)()
    }
    assert required and required <= keys_of(FICTIONAL), sorted(required - keys_of(FICTIONAL))


# --- The site it builds -------------------------------------------------------------------------------------------


@pytest.fixture
def fictional_site(db, settings):
    """An empty, migrated database, then `load_initial_content` with INITIAL_CONTENT_DIR pointing at the folder,
    then `generate_demo_data`, as a commune trying the portal would do."""
    assert not Page.objects.exists() and not SiteIdentity.objects.exists() and not EmailTemplate.objects.exists()
    settings.INITIAL_CONTENT_DIR = FICTIONAL
    call_command("load_initial_content", verbosity=0)
    call_command("generate_demo_data", projects=8, applications=4, verbosity=0)
    with open(FICTIONAL / "site.toml", "rb") as fh:
        assert SiteIdentity.current().commune_name == tomllib.load(fh)["site"]["commune_name"]
    reset_rate_limits()


def private_links():
    """What only a private link reaches: each demo application's tracking page and receipt."""
    from microprojets.models import Application

    links = []
    for application in Application.objects.all():
        links.append(application.get_tracking_url())
        links.append(reverse("microprojets:receipt", args=[application.tracking_token]))
    return links


class RecordingClient:
    """A test client that keeps every answer the crawler receives, to read them all afterwards."""

    def __init__(self, client):
        self.client, self.answers = client, {}

    def get(self, path, *args, **kwargs):
        response = self.client.get(path, *args, **kwargs)
        self.answers[path] = response
        return response


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def error_pages(rf):
    """Each error page of the site (core.views.ERRORS, and the standalone 500), as a visitor gets it."""
    pages = {}
    for key in core_views.ERRORS:
        request = rf.get("/une-adresse-quelconque/")
        request.user, request.session = AnonymousUser(), SessionStore()
        request._messages = FallbackStorage(request)
        pages[f"erreur {key}"] = core_views.error_response(request, key)
    pages["erreur 500"] = core_views.server_error(rf.get("/"))
    return pages


def test_no_public_answer_of_another_commune_mentions_langres(fictional_site, client):
    recording = RecordingClient(client)
    # The grants file is linked only once the commune has a SIRET (the fictional one has none): asked for anyway.
    found = discover(recording, [*private_links(), reverse("microprojets:grants_csv")])
    assert len(found.pages) < MAX_PAGES, "le parcours s’est arrêté avant d’avoir tout vu"
    answers = dict(recording.answers)
    # Reached on purpose, not by a link: a missing page, a form sent without its cookie, the staff login.
    answers["/adresse-qui-n-existe-pas/"] = client.get("/adresse-qui-n-existe-pas/")
    answers["formulaire sans jeton"] = Client(enforce_csrf_checks=True).post(reverse("pre:contact"), {"name": "x"})
    answers["/admin/login/"] = client.get(reverse("admin:login"))
    answers.update(error_pages(RequestFactory()))

    problems = {}
    for where, response in answers.items():
        assert response.status_code < 500 or where == "erreur 500", (where, response.status_code)
        if response.status_code in (301, 302, 303):
            continue
        if found_leaks := leaks_in(body(response) + "".join(f"{k}: {v}\n" for k, v in response.items())):
            problems[where] = found_leaks
    assert problems == {}

    # The crawl reached every kind of public answer, not only HTML pages.
    routes = {resolve(urlsplit(path).path).url_name for path in recording.answers}
    expected = {
        "home", "robots_txt", "sitemap", "theme_css", "contact", "legal_notice", "personal_data", "accessibility",
        "site_map", "index", "detail", "address_lookup", "perimeters_geojson", "geojson", "projects", "project",
        "feed", "projects_csv", "grants_csv", "vcard", "tracking", "receipt",
    }  # fmt: skip
    assert expected <= routes, sorted(expected - routes)
    assert len(answers) > 60


def test_no_email_of_another_commune_mentions_langres(fictional_site):
    """Every e-mail the site sends, rendered as its sender fills it (the sample context of each template)."""
    specs = email_specs()
    templates = list(EmailTemplate.objects.all())
    assert len(templates) >= 5
    for template in templates:
        spec = specs[template.key]
        rendered = render_email(template.subject, template.body, dump_context(spec.sample(), spec.links))
        text = rendered.subject + rendered.body_text + rendered.body_html
        assert SiteIdentity.current().service_name in text, template.key
        assert leaks_in(text) == [], template.key


# --- The code -----------------------------------------------------------------------------------------------------

ROOT = Path(settings.BASE_DIR)
# The content of the real commune and the tests that check it are allowed to name it. Old migrations are frozen
# history (the field's current help text is in the models and in the latest migration); vendored libraries and
# installed tools are not ours.
ALLOWED = ("langres_portal/initial_content/langres/", "tests/", "docs/", "static/vendor/")
SKIPPED_DIRS = {".venv", "node_modules", ".git", "media", "private_media", "staticfiles", "__pycache__"}
CODE_SUFFIXES = {".py", ".html", ".txt", ".js", ".css", ".xml", ".toml", ".json"}


def code_files():
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT).as_posix()
        if (
            path.is_file()
            and path.suffix in CODE_SUFFIXES
            and not SKIPPED_DIRS & set(path.relative_to(ROOT).parts)
            and not relative.startswith(ALLOWED)
            and "/migrations/" not in f"/{relative}"
        ):
            yield relative, path


def test_no_code_or_template_names_langres():
    files = dict(code_files())
    assert "templates/base.html" in files and "quartiers/views.py" in files and "pyproject.toml" in files
    found = {relative: leaks_in(path.read_text(encoding="utf-8")) for relative, path in files.items()}
    assert {relative: words for relative, words in found.items() if words} == {}
