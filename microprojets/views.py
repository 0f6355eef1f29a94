from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from langres_portal.core.models import Page

SECTION_SLUG = "microprojets"


@require_GET
def index(request):
    page = get_object_or_404(Page.objects.published(), slug=SECTION_SLUG)
    return render(request, "microprojets/index.html", {"page": page, "breadcrumbs": [(page.title, None)]})
