"""The home page's block: the open call for microprojets, with its closing date (nothing when none is open)."""

from django.utils import timezone

from .models import Call


def home_block(request):
    call = Call.objects.open_at(timezone.now()).order_by("closes_at").first()
    if call is None:
        return None
    return {"template": "microprojets/home_block.html", "call": call}
