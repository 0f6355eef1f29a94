"""Home page block: the address check, where residents look for it first."""

from langres_portal.core.models import Page

from .views import LOOKUP_PAGE_SLUG, street_names


def home_block(request) -> dict | None:
    page = Page.get_text(LOOKUP_PAGE_SLUG)
    if page is None:
        return None
    return {
        "key": "adresse",
        "template": "quartiers/home_block.html",
        "page": page,
        "rank": 10,
        "street_names": street_names(),
    }
