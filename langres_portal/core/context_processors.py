from .models import SiteIdentity


def site(request):
    return {"site": SiteIdentity.current()}
