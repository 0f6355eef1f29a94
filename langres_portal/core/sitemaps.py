from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import EasyReadPage, Page


class PageSitemap(Sitemap):
    """Pages of the site shell, or a section's index page; titles come from their editable Page."""

    changefreq = "monthly"
    pages: list[tuple[str, str]] = []  # (Page slug, URL name)
    title = ""

    def items(self):
        slugs = [slug for slug, _ in self.pages]
        titles = dict(Page.objects.published().filter(slug__in=slugs).values_list("slug", "title"))
        if not self.title and len(self.pages) == 1 and self.pages[0][0] in titles:
            self.title = titles[self.pages[0][0]]
        return [_Link(titles[slug], name) for slug, name in self.pages if slug in titles]

    def location(self, item):
        return reverse(item.url_name)


class _Link:
    def __init__(self, title, url_name):
        self.title, self.url_name = title, url_name

    def __str__(self):
        return self.title


class ShellPagesSitemap(PageSitemap):
    title = "Le site"
    pages = [
        ("accueil", "home"),
        ("contact", "contact"),
        ("mentions-legales", "legal_notice"),
        ("donnees-personnelles", "personal_data"),
        ("accessibilite", "accessibility"),
        ("plan-du-site", "site_map"),
        ("glossaire", "glossary"),
    ]


class OtherPagesSitemap(Sitemap):
    """Pages staff added in the admin (at /pages/<slug>/): published ones only."""

    changefreq = "monthly"
    title = "Autres pages"

    def items(self):
        return list(Page.objects.published().standalone().only("slug", "title", "updated_at").order_by("title"))

    def lastmod(self, item):
        return item.updated_at


class EasyReadSitemap(Sitemap):
    """The easy-to-read versions (« Facile à lire ») of the pages that have one."""

    changefreq = "monthly"
    title = "Facile à lire"

    def items(self):
        return list(EasyReadPage.objects.published().filter(slug__in=EasyReadPage.Of.values).order_by("pk"))


sitemaps = {"site": ShellPagesSitemap, "pages": OtherPagesSitemap, "facile-a-lire": EasyReadSitemap}
