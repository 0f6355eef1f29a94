"""The home page's block « Déposer un projet »: the open call with its closing date, or how to prepare the next one."""

from django.utils import timezone

from langres_portal.core.models import Page

from .models import Call

HOME_PAGE_SLUG = "microprojets-accueil"


def home_block(request):
    call = Call.objects.open_at(timezone.now()).order_by("closes_at").first()
    page = Page.get_text(HOME_PAGE_SLUG)
    if call is None and page is None:
        return None
    return {"key": "microprojets", "template": "microprojets/home_block.html", "call": call, "page": page, "rank": 30}
