"""The contract's block on the home page: the latest published projects."""

from .views import listed_projects

HOME_PROJECTS = 3


def home_block(request):
    projects = list(listed_projects().order_by("-created_at")[:HOME_PROJECTS])
    if not projects:
        return None
    return {"key": "projets", "template": "contrat_ville/home_block.html", "projects": projects}
