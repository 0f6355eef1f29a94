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


# Touch targets (issue 13, item 8): at least 44 × 44 CSS px, the size WCAG 2.5.5 (AAA) asks and that the issue
# sets for every button, link in a list, radio and checkbox (with its label) and select.
# Exempt, as WCAG 2.5.8 allows: a link inside a sentence (an inline link whose paragraph, list item, definition
# or cell has other words besides it), whose height is the line's. Measured as the finger meets them: a
# stretched link by the card it covers, a radio or checkbox by the union of its box and its label's box, a link
# shown only on keyboard focus (skip links) by its box once focused.
MIN_TARGET_PX = 44
_TARGETS_JS = """
(min) => {
  const SELECTOR = "a[href], button, select, summary, input[type=radio], input[type=checkbox], " +
    "input[type=submit], input[type=button], input[type=reset]";
  const TEXT_RUN_BLOCKS = new Set(["P", "LI", "DD", "DT", "TD", "TH", "ADDRESS", "FIGCAPTION", "CAPTION"]);
  const union = (a, b) => {
    const left = Math.min(a.left, b.left), top = Math.min(a.top, b.top);
    return {width: Math.max(a.right, b.right) - left, height: Math.max(a.bottom, b.bottom) - top};
  };
  const shown = (el) => {
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") return false;
    const rect = el.getBoundingClientRect();
    return rect.width > 1 && rect.height > 1;
  };
  const inTextRun = (el) => {
    if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display === "inline") block = block.parentElement;
    if (!block || !TEXT_RUN_BLOCKS.has(block.tagName)) return false;
    const own = el.innerText;
    const rest = block.innerText.replace(own, "");
    return /[\\p{L}\\p{N}]/u.test(rest);
  };
  const problems = [];
  for (const el of document.querySelectorAll(SELECTOR)) {
    let box;
    const revealedOnFocus = el.matches(".visually-hidden-focusable, .skip-link");
    if (revealedOnFocus) {
      el.focus();
      box = el.getBoundingClientRect();
      el.blur();
    } else {
      if (!shown(el) || inTextRun(el)) continue;
      box = el.getBoundingClientRect();
      if (el.classList.contains("stretched-link")) {
        box = (el.closest(".card, .position-relative") || el).getBoundingClientRect();
      }
      if (el.matches("input[type=radio], input[type=checkbox]")) {
        for (const label of el.labels || []) if (shown(label)) box = union(box, label.getBoundingClientRect());
      }
    }
    if (box.width < min - 0.5 || box.height < min - 0.5) {
      const name = (el.innerText || el.value || el.getAttribute("aria-label") || el.name || "").trim();
      const classes = el.className ? "." + String(el.className).split(" ").join(".") : "";
      problems.push(`${el.tagName.toLowerCase()}${classes} « ${name.slice(0, 40)} » ` +
        `${Math.round(box.width)} × ${Math.round(box.height)}`);
    }
  }
  return problems;
}
"""


def small_targets(page, minimum=MIN_TARGET_PX):
    """The interactive elements of the page smaller than minimum × minimum px, described (see above)."""
    return page.evaluate(_TARGETS_JS, minimum)


def assert_targets_big_enough(page, minimum=MIN_TARGET_PX):
    problems = small_targets(page, minimum)
    assert problems == [], f"{page.url}: cibles de moins de {minimum} px :\n" + "\n".join(problems)


# The admin's forms.css starts with an @import; axe-core re-injects the imported sheet as an inline <style>, which
# the strict CSP blocks: a console error about axe's own injection, not about the page. Admin browser tests add it
# to page.problems.expected_console.
AXE_IMPORT = "Applying inline style violates the following Content Security Policy"
