"""What waits for the PRE's coordination: the families' call-back requests not handled yet (core.hooks)."""

from django.urls import reverse

from langres_portal.core.permissions import is_pre_coordinator

from .models import ContactRequest


def items(user):
    if not is_pre_coordinator(user):
        return []
    url = reverse("admin:pre_contactrequest_changelist")
    count = ContactRequest.objects.to_handle().count()
    return [{"label": "demandes de rappel du PRE à traiter", "count": count, "url": f"{url}?etat=a-traiter"}]
