"""What the fuzz tests attack, found rather than listed: the public URL patterns, the pages a visitor reaches from
the home page, the sitemap and the private links, every form on them and every GET parameter the views read."""

import inspect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit
from xml.etree import ElementTree

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

# The admin is staff-only behind a login; /media/ serves files, not forms.
NOT_PUBLIC = ("admin/", "media/")
MAX_PAGES = 250
# `request.GET.get("page")`, `request.GET["x"]`, `"rue" in request.GET`: the parameters a view reads by hand.
GET_READS = re.compile(r"""request\.GET(?:\.get|\.getlist)?[(\[]\s*["'](\w+)["']|["'](\w+)["']\s+in\s+request\.GET""")


@dataclass
class Form:
    """A <form> as a browser would send it: its method, target, and each field with the values the page offers."""

    page: str
    method: str
    action: str
    enctype: str
    fields: dict = field(default_factory=lambda: defaultdict(list))  # name -> offered values
    files: set = field(default_factory=set)
    checkboxes: set = field(default_factory=set)

    def __repr__(self):
        return f"<Form {self.method.upper()} {self.action} {sorted(self.fields) + sorted(self.files)}>"


class _PageParser(HTMLParser):
    def __init__(self, url):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links, self.forms = [], []
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "a" and "href" in attrs:
            self.links.append(urljoin(self.url, attrs["href"]))
        elif tag == "link" and "href" in attrs:  # stylesheets served by a view (the main colour, couleurs.css)
            self.links.append(urljoin(self.url, attrs["href"]))
        elif tag == "form":
            self._form = Form(
                page=self.url,
                method=(attrs.get("method") or "get").lower(),
                action=urljoin(self.url, attrs.get("action") or self.url),
                enctype=attrs.get("enctype", ""),
            )
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind == "file":
                self._form.files.add(attrs["name"])
            else:
                self._form.fields[attrs["name"]].append(attrs.get("value", "on" if kind == "checkbox" else ""))
                if kind == "checkbox":
                    self._form.checkboxes.add(attrs["name"])
        elif tag == "button" and attrs.get("value"):
            self._form.fields[attrs["name"]].append(attrs["value"])
        elif tag == "select":
            self._select = attrs["name"]
            self._form.fields[self._select]
        elif tag == "textarea":
            self._form.fields[attrs["name"]].append("")
        if tag == "option" and self._select:
            self._form.fields[self._select].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def public_patterns(resolver=None, prefix=""):
    """Every URL pattern outside the admin, as its full route (« microprojets/suivi/<str:token>/ »)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(NOT_PUBLIC):
            continue
        if isinstance(entry, URLResolver):
            yield from public_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


def get_parameters_read_by(callback):
    """The GET parameters a view reads by hand (its source, decorators unwrapped)."""
    func = inspect.unwrap(callback)
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):  # a class-based view such as the feed: it reads no parameter
        return set()
    return {a or b for a, b in GET_READS.findall(source)}


class SiteMap:
    """What the walk found. A plain class: hypothesis prints the fixtures of a failing example, keep it short."""

    def __init__(self):
        self.pages = {}  # path -> status of the first visit
        self.routes = {}  # route -> a path that reached it
        self.params = defaultdict(set)  # path -> GET names seen or read
        self.forms = []

    def __repr__(self):
        return f"<SiteMap {len(self.pages)} pages, {len(self.forms)} forms>"


def route_of(path):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route


def discover(client, seeds=()):
    """Walk the public site as a visitor would, from the home page, the sitemap and the given private links."""
    site = SiteMap()
    # As a search engine: robots.txt names the sitemap, the sitemap lists the pages.
    robots = client.get("/robots.txt").content.decode()
    sitemaps = [
        urlsplit(line.split(":", 1)[1].strip()).path for line in robots.splitlines() if line.startswith("Sitemap:")
    ]
    assert sitemaps, "robots.txt ne donne pas le plan du site"
    sitemap = client.get(sitemaps[0])
    assert sitemap.status_code == 200
    locations = [el.text for el in ElementTree.fromstring(sitemap.content).iter() if el.tag.endswith("loc")]
    queue = ["/", "/robots.txt", sitemaps[0], *(urlsplit(loc).path for loc in locations), *seeds]
    seen_queries = defaultdict(int)
    readers = {route: get_parameters_read_by(cb) for route, cb in public_patterns()}
    while queue and len(site.pages) < MAX_PAGES:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or parts.path.startswith(tuple("/" + p for p in NOT_PUBLIC)):
            continue
        key = parts.path + ("?" + parts.query if parts.query else "")
        route = route_of(parts.path)
        if key in site.pages or route is None:
            continue
        for name, _ in parse_qsl(parts.query, keep_blank_values=True):
            site.params[parts.path].add(name)
        if parts.query:
            # A query string is another state of a page already seen (the 2nd page of a list): a few suffice.
            seen_queries[parts.path] += 1
            if seen_queries[parts.path] > 3:
                continue
        response = client.get(key)
        site.pages[key] = response.status_code
        site.routes.setdefault(route, key)
        site.params[parts.path] |= readers.get(route, set())
        if response.status_code in (301, 302, 303):
            queue.append(response["Location"])
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        parser = _PageParser("http://testserver" + key)
        parser.feed(response.content.decode())
        for link in parser.links:
            link_parts = urlsplit(link)
            if link_parts.netloc == "testserver":
                queue.append(link_parts.path + ("?" + link_parts.query if link_parts.query else ""))
        for form in parser.forms:
            form.action = urlsplit(form.action).path
            form.page = key
            if form.method == "get":
                site.params[form.action] |= set(form.fields)
            if all(repr(form) != repr(known) for known in site.forms):
                site.forms.append(form)
    return site
