"""Home page block « Mon enfant a besoin d’aide »: the PRE's phone number (a tel: link) and the call-back form."""

from langres_portal.core.models import Page

from .models import PreSettings

HOME_PAGE_SLUG = "reussite-educative-accueil"


def home_block(request) -> dict | None:
    page = Page.get_text(HOME_PAGE_SLUG)
    pre = PreSettings.current()
    if page is None or not pre.phone:
        return None
    return {"key": "reussite-educative", "template": "pre/home_block.html", "page": page, "pre": pre, "rank": 20}
