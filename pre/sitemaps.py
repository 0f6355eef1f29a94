from langres_portal.core.sitemaps import PageSitemap

from .views import SECTION_TITLE


class _Link:
    def __init__(self, title, url_name):
        self.title, self.url_name = title, url_name

    def __str__(self):
        return self.title


class PreSitemap(PageSitemap):
    """The PRE page and its request form (not the confirmation page); the group is named after the PRE page."""

    pages = [("reussite-educative", "pre:index"), ("reussite-educative-contact", "pre:contact")]

    def items(self):
        items = super().items()
        if not items or items[0].url_name != "pre:index":
            # An unpublished intro leaves the PRE page up under the section's name (see views.index).
            items.insert(0, _Link(SECTION_TITLE, "pre:index"))
        self.title = items[0].title
        return items


sitemaps = {"pre": PreSitemap}
