"""What waits for an instructor: the applications assigned to them and waiting for the service (core.hooks); the
rest is on the instructors' dashboard below it."""

from django.urls import reverse

from langres_portal.core.permissions import can_instruct

from . import workflow
from .models import Application


def items(user):
    if not can_instruct(user):
        return []
    mine = Application.objects.filter(assigned_to=user, status__in=sorted(workflow.WAITING_FOR_STAFF))
    url = reverse("admin:microprojets_application_changelist")
    return [
        {"label": "dossiers de microprojets à traiter par moi", "count": mine.count(), "url": f"{url}?a_traiter=moi"}
    ]
