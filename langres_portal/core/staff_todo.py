"""What waits for a staff member in the site's shell: e-mails that could not leave (core.hooks.staff_todo)."""

from django.urls import reverse

from .models import OutboxEmail


def items(user):
    if not user.has_perm("core.view_outboxemail"):
        return []
    unsent = OutboxEmail.objects.filter(sent_at=None)
    url = reverse("admin:core_outboxemail_changelist")
    return [
        {
            "label": "courriels dont le modèle est à corriger",
            "count": unsent.filter(rendered_at=None).count(),
            "url": f"{url}?etat=modele",
        },
        {
            "label": "courriels abandonnés",
            "count": unsent.filter(gave_up=True).count(),
            "url": f"{url}?etat=abandonne",
        },
    ]
