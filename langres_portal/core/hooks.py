"""How the site shell finds what each app adds to the home page and the site map, without importing them.

An app may define a module `home` with `home_block(request) -> dict | None` (keys: "template" and its context;
an optional "rank" puts what is urgent first: lower comes first, default 100),
and a module `sitemaps` with a dict `sitemaps` of django.contrib.sitemaps.Sitemap classes whose items have
a `__str__` used as the link text on the human site map,
and a module `email_contexts` with a dict `EMAILS` of core.emails.EmailSpec by e-mail template key,
and a module `staff_todo` with `items(user) -> list[dict]` (keys: "label", "count", "url"): what waits for this
staff member, shown at the top of the admin index (an app returns nothing to whoever cannot act on it).
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


def _app_modules(name):
    for config in apps.get_app_configs():
        if find_spec(f"{config.name}.{name}") is not None:
            yield config, import_module(f"{config.name}.{name}")


def home_blocks(request):
    blocks = []
    for _config, module in _app_modules("home"):
        block = module.home_block(request)
        if block:
            blocks.append(block)
    return sorted(blocks, key=lambda block: block.get("rank", 100))


def all_sitemaps():
    result = {}
    for _config, module in _app_modules("sitemaps"):
        result.update(module.sitemaps)
    return result


def site_map_groups():
    """[(section title, [(link text, url), …]), …] for the human site map."""
    groups = []
    for sitemap_class in all_sitemaps().values():
        sitemap = sitemap_class()
        links = [(str(item), sitemap.location(item)) for item in sitemap.items()]
        if links:
            groups.append((getattr(sitemap, "title", ""), links))
    return groups


def all_email_specs():
    result = {}
    for _config, module in _app_modules("email_contexts"):
        result.update(module.EMAILS)
    return result


def staff_todo(user):
    """What waits for `user` in every app, the non-empty counts only."""
    items = []
    for _config, module in _app_modules("staff_todo"):
        items += [item for item in module.items(user) if item["count"]]
    return items
