"""The e-mail core sends itself: a sample of what it gives its template, and which value is a site link."""

from langres_portal.core.emails import EmailSpec


def password_reset_context():
    # staff_auth.StaffPasswordResetForm.send_mail passes these three values.
    return {
        "reset_url": "https://www.exemple.fr/admin/reinitialisation/MQ/abc123-def456/",
        "username": "c.martin",
        "name": "Camille",
    }


EMAILS = {"agent-mot-de-passe-oublie": EmailSpec(password_reset_context, ("reset_url",))}
