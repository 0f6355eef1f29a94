"""The e-mail the PRE sends: a sample of what it gives its template, and which value is a site link."""

from django.utils import timezone

from langres_portal.core.emails import EmailSpec


def request_context():
    # No personal data: the date and a link that only the PRE team can open (views.save_request).
    return {"admin_url": "https://www.exemple.fr/admin/pre/contactrequest/42/change/", "created_at": timezone.now()}


EMAILS = {"pre-nouvelle-demande": EmailSpec(request_context, ("admin_url",))}
