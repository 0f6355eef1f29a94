from langres_portal.core.sitemaps import PageSitemap


class PreSitemap(PageSitemap):
    """The PRE page and its request form (not the confirmation page); the group is named after the PRE page."""

    pages = [("reussite-educative", "pre:index"), ("reussite-educative-contact", "pre:contact")]

    def items(self):
        items = super().items()
        if items and items[0].url_name == "pre:index":
            self.title = items[0].title
        return items


sitemaps = {"pre": PreSitemap}
