from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from langres_portal.core.views import section_page

from .models import Pillar, Project
from .views import SECTION_SLUG, SECTION_TITLE


class _Link:
    def __init__(self, title, url):
        self.title, self.url = title, url

    def __str__(self):
        return self.title


class ContratVilleSitemap(Sitemap):
    """The section's pages: the contract, its pillars, the catalogue and the figures."""

    changefreq = "monthly"
    title = "Contrat de ville"

    def items(self):
        page = section_page(SECTION_SLUG, SECTION_TITLE)  # unpublished intro: the page answers under this name
        self.title = page.title
        links = [_Link(page.title, reverse("contrat_ville:index"))]
        links += [_Link(p.name, p.get_absolute_url()) for p in Pillar.objects.all()]
        links.append(_Link("Les projets du contrat de ville", reverse("contrat_ville:projects")))
        links.append(_Link("Les chiffres du contrat de ville", reverse("contrat_ville:figures")))
        links.append(_Link("La carte des projets soutenus", reverse("contrat_ville:map")))
        return links

    def location(self, item):
        return item.url


class ProjectSitemap(Sitemap):
    """Each published project."""

    changefreq = "yearly"
    title = "Projets du contrat de ville"

    def items(self):
        return Project.objects.published().only("slug", "title", "updated_at").order_by("-year_start", "title")

    def lastmod(self, item):
        return item.updated_at


sitemaps = {"contrat_ville": ContratVilleSitemap, "contrat_ville_projects": ProjectSitemap}
