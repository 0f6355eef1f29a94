from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from langres_portal.core.models import Page
from langres_portal.core.views import section_page

from .views.public import FIGURES_TITLE, SECTION_SLUG, SECTION_TITLE


class _Link:
    def __init__(self, title, url_name):
        self.title, self.url_name = title, url_name

    def __str__(self):
        return self.title


class MicroprojetsSitemap(Sitemap):
    """The section's public pages (the private links — drafts, receipts, tracking — are never listed)."""

    changefreq = "weekly"
    title = "Les microprojets"

    def items(self):
        page = section_page(SECTION_SLUG, SECTION_TITLE)  # unpublished intro: the page answers under this name
        self.title = page.title
        eligibility = Page.get_text("microprojets-eligibilite")
        figures = Page.get_text("microprojets-chiffres")
        return [
            _Link(page.title, "microprojets:index"),
            _Link(
                eligibility.title if eligibility else "Mon projet peut-il être financé ?", "microprojets:eligibility"
            ),
            _Link("Déposer un microprojet", "microprojets:apply"),
            _Link("Retrouver le lien de suivi de mon dossier", "microprojets:resend_link"),
            _Link(figures.title if figures else FIGURES_TITLE, "microprojets:figures"),
        ]

    def location(self, item):
        return reverse(item.url_name)


sitemaps = {"microprojets": MicroprojetsSitemap}
