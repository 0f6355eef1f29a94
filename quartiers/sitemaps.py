from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from langres_portal.core.models import Page

from .models import Quartier
from .views import LOOKUP_PAGE_SLUG, SECTION_SLUG, SECTION_TITLE


class _Link:
    def __init__(self, title, url):
        self.title, self.url = title, url

    def __str__(self):
        return self.title


class QuartiersSitemap(Sitemap):
    """The section page, each published neighbourhood and the address check."""

    changefreq = "monthly"
    title = ""

    def items(self):
        pages = {p.slug: p.title for p in Page.objects.published().filter(slug__in=[SECTION_SLUG, LOOKUP_PAGE_SLUG])}
        # An unpublished intro leaves the section page up under the section's name (see views.index).
        self.title = pages.get(SECTION_SLUG, SECTION_TITLE)
        links = [_Link(self.title, reverse("quartiers:index"))]
        links += [_Link(q.name, q.get_absolute_url()) for q in Quartier.objects.published()]
        links.append(
            _Link(
                pages.get(LOOKUP_PAGE_SLUG, "Mon adresse est-elle dans le quartier prioritaire ?"),
                reverse("quartiers:address_lookup"),
            )
        )
        return links

    def location(self, item):
        return item.url


sitemaps = {"quartiers": QuartiersSitemap}
