"""The contract's block on the home page: the latest published projects."""

from .views import _list_queryset

HOME_PROJECTS = 3


def home_block(request):
    projects = list(_list_queryset().order_by("-created_at")[:HOME_PROJECTS])
    if not projects:
        return None
    return {"template": "contrat_ville/home_block.html", "projects": projects}
