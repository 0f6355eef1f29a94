"""Browser-test helpers: watch a page's requests and console, run axe-core in it."""

import json
from pathlib import Path
from urllib.parse import urlparse

TOOLS = Path(__file__).parent / "tools" / "node_modules"
AXE_JS = TOOLS / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


class PageProblems:
    """What a page did wrong while a test used it: requests to other hosts, console errors (CSP violations
    included), uncaught JavaScript exceptions."""

    def __init__(self, live_url, allowed_hosts=()):
        self.site_host = urlparse(live_url).netloc
        self.allowed_hosts = set(allowed_hosts)
        self.external_requests = []
        self.console_errors = []
        self.page_errors = []
        self.documents = set()  # pages the test opened: their status (a 404 page, a 429) is the test's business
        self.expected_console = []  # substrings of errors a test causes on purpose

    def on_request(self, route):
        host = urlparse(route.request.url).netloc
        if route.request.url.startswith("data:") or host == self.site_host:
            route.continue_()
            return
        if host not in self.allowed_hosts:
            self.external_requests.append(route.request.url)
        route.abort()  # the machine has no network: never wait for it

    def on_console(self, message):
        if message.type != "error":
            return
        source = message.location.get("url", "")
        if urlparse(source).netloc in self.allowed_hosts and message.text.startswith("Failed to load resource"):
            return  # a request to an allowed host (map tiles…) that on_request aborts: the machine has no network
        if source in self.documents and message.text.startswith("Failed to load resource"):
            return
        if any(expected in f"{message.text} {source}" for expected in self.expected_console):
            return
        self.console_errors.append(f"{message.text} ({source})")

    def on_response(self, response):
        if response.request.is_navigation_request():
            self.documents.add(response.url)

    def on_page_error(self, error):
        """An exception no script caught."""
        self.page_errors.append(f"{error.name}: {error.message}")


def axe_violations(page, context=None):
    """Run axe-core in the page (through CDP, so the site's CSP does not block it) and return its violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text())
    result = page.evaluate(
        "async ([ctx, tags]) => await axe.run(ctx || document, {runOnly: {type: 'tag', values: tags}})",
        [context, AXE_TAGS],
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def assert_no_axe_violations(page, context=None):
    violations = axe_violations(page, context)
    assert violations == [], f"{page.url}:\n" + json.dumps(violations, indent=2, ensure_ascii=False)
