from django.utils.functional import SimpleLazyObject

from .models import SiteIdentity


def site(request):
    # Lazy: responses that never print the identity (JSON, feeds) make no query for it.
    return {"site": SimpleLazyObject(SiteIdentity.current)}
