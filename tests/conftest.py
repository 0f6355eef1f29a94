"""Shared fixtures: content, personas, and the Playwright/axe-core browser harness."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser import PageProblems

# Playwright's sync API runs an event loop in the test thread; the ORM calls in tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def content(db):
    """The initial content of the site, as `make run` loads it."""
    call_command("load_initial_content", verbosity=0)


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_superuser("agent", "agent@example.org", "motdepasse-solide-123")


# --- Browser -----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    if Path(executable).exists():
        args["executable_path"] = executable
    return args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


@pytest.fixture
def browse(page, live_server):
    """The Playwright page, watched: at the end of the test, no unexpected third-party request, no console error
    (a CSP violation, a failed load, a script's console.error) and no uncaught JavaScript exception."""
    problems = PageProblems(live_server.url, allowed_hosts={"tile.openstreetmap.org"})
    page.route("**/*", problems.on_request)
    page.on("console", problems.on_console)
    page.on("pageerror", problems.on_page_error)
    page.on("response", problems.on_response)
    page.set_default_timeout(10_000)
    page.problems = problems
    yield page
    assert problems.external_requests == [], "Requêtes vers un autre site"
    assert problems.page_errors == [], "Exceptions JavaScript non rattrapées"
    assert problems.console_errors == [], "Erreurs dans la console du navigateur"
