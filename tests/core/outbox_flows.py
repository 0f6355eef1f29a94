"""The real ways each outbox e-mail is sent: public forms (and the staff message), as a client would post them.

Each flow asserts the response is not a server error and returns what the request saved.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from microprojets.models import Application, Draft, Event, Reminder, Report
from microprojets.services.reminders import send_reminders
from pre.models import ContactRequest
from tests.microprojets.conftest import PDF, valid_data
from tests.microprojets.factories import ApplicationFactory, CallFactory
from tests.pre.factories import VALID_REQUEST


def ok(response):
    assert response.status_code < 500, response.status_code
    return response


def submit_application(client, admin_client, **data):
    """Fill the form, confirm the recap: the acknowledgement and the staff notice."""
    CallFactory()
    files = {"statutes": SimpleUploadedFile("statuts.pdf", PDF, content_type="application/pdf")}
    recap = ok(client.post(reverse("microprojets:apply"), {**valid_data(**data), **files}))
    assert recap.status_code == 302, recap.context and recap.context.get("errors")
    ok(client.post(recap["Location"], {"engagement": "on"}))
    return Application.objects.latest("pk")


def pre_request(client, admin_client):
    ok(client.post(reverse("pre:contact"), VALID_REQUEST))
    return ContactRequest.objects.latest("pk")


def save_draft(client, admin_client):
    CallFactory()
    data = {"action": "draft", "title": "Projet à finir", "email": "camille@example.org"}
    data.update({"depenses-TOTAL_FORMS": "6", "depenses-INITIAL_FORMS": "0"})
    data.update({"ressources-TOTAL_FORMS": "4", "ressources-INITIAL_FORMS": "0"})
    ok(client.post(reverse("microprojets:apply"), data))
    return Draft.objects.latest("pk")


def resend_links(client, admin_client):
    application = ApplicationFactory(email="lea@example.org")
    ok(client.post(reverse("microprojets:resend_link"), {"email": "lea@example.org"}))
    return application


def send_complement(client, admin_client, message="Voici le devis."):
    application = ApplicationFactory(status=Application.Status.INCOMPLETE)
    url = reverse("microprojets:complement", args=[application.tracking_token])
    ok(client.post(url, {"message": message, "others": SimpleUploadedFile("devis.pdf", PDF)}))
    return application.events.filter(from_applicant=True).first()  # None when the form refused the message


def staff_message(client, admin_client):
    """A member of staff writes to the applicant from the application's admin page."""
    application = ApplicationFactory()
    url = reverse("admin:microprojets_application_message", args=[application.pk])
    response = ok(admin_client.post(url, {"text": "Merci d’envoyer le devis."}))
    assert response.status_code == 302
    return Event.objects.get(application=application, message="Merci d’envoyer le devis.")


def staff_move(client, admin_client):
    """An instructor asks for a complement with the button of the application's admin page."""
    application = ApplicationFactory(status=Application.Status.UNDER_REVIEW)
    url = reverse("admin:microprojets_application_move", args=[application.pk])
    data = {"target": "incomplete", "comment": "Merci d’envoyer le devis.", "expected_version": application.version}
    response = ok(admin_client.post(url, data))
    assert response.status_code == 302
    return application.status_changes.get(to_status="incomplete")


def withdraw_application(client, admin_client):
    """The applicant withdraws the application from the tracking page: the service is told."""
    application = ApplicationFactory()
    url = reverse("microprojets:withdraw", args=[application.tracking_token])
    response = ok(client.post(url, {"reason": "Le projet se fera l’an prochain.", "expected_version": 0}))
    assert response.status_code == 302
    return application


def staff_password_reset(client, admin_client):
    """A member of staff who forgot the password asks for a new one on the admin's login page."""
    # get_or_create: hypothesis runs the flow several times in one test's transaction.
    user, _ = get_user_model().objects.get_or_create(
        username="c.martin", defaults={"email": "c.martin@example.org", "is_staff": True}
    )
    ok(client.post(reverse("admin_password_reset"), {"email": "c.martin@example.org"}))
    return user


def committee_decision(client, admin_client):
    """The committee's decisions published from the session's admin page: one e-mail per applicant."""
    from microprojets.services import committee as services
    from tests.microprojets.factories import committee

    application = ApplicationFactory(status=Application.Status.UNDER_REVIEW)
    session = committee(application.call)
    item = services.add_to_agenda(session_id=session.pk, application_id=application.pk, by=None)
    services.record_votes(item_id=item.pk, votes={m.pk: "for" for m in session.members.all()})
    services.record_decision(item_id=item.pk, decision="accept", amount="300")
    ok(admin_client.post(reverse("admin:microprojets_committeesession_publish", args=[session.pk])))
    session.refresh_from_db()
    assert session.is_published
    return session


def send_report(client, admin_client):
    """The applicant sends the end-of-project report from the tracking page: the service is told."""
    application = ApplicationFactory(status=Application.Status.PAID)
    url = reverse("microprojets:report", args=[application.tracking_token])
    ok(client.post(url, {"what_happened": "Tout s’est bien passé.", "people_reached": "40"}))
    return Report.objects.get(application=application)


def reminder(kind, make, days):
    """send_reminders, `days` from now, after `make()` set up what it recalls."""

    def flow(client, admin_client):
        make()
        send_reminders(now=timezone.now() + timedelta(days=days))
        return Reminder.objects.filter(kind=kind).latest("pk")

    return flow


def rejected_long_ago():
    application = ApplicationFactory(status=Application.Status.REJECTED)
    Application.objects.filter(pk=application.pk).update(status_changed_at=timezone.now() - timedelta(days=360))


FLOWS = {
    "agent-mot-de-passe-oublie": staff_password_reset,
    "microprojets-accuse-reception": submit_application,
    "microprojets-nouveau-dossier": submit_application,
    "microprojets-lien-brouillon": save_draft,
    "microprojets-renvoi-liens": resend_links,
    "microprojets-complement": send_complement,
    "microprojets-decision-comite": committee_decision,
    "microprojets-message-du-service": staff_message,
    "microprojets-dossier-retire": withdraw_application,
    "microprojets-changement-statut": staff_move,
    "pre-nouvelle-demande": pre_request,
    "microprojets-bilan-recu": send_report,
    "microprojets-rappel-bilan": reminder(
        Reminder.Kind.REPORT_DUE, lambda: ApplicationFactory(status=Application.Status.PAID), 200
    ),
    "microprojets-rappel-complement": reminder(
        Reminder.Kind.COMPLEMENT, lambda: ApplicationFactory(status=Application.Status.INCOMPLETE), 16
    ),
    "microprojets-rappel-brouillon": reminder(
        Reminder.Kind.DRAFT_EXPIRING,
        lambda: Draft.objects.create(call=CallFactory(), email="camille@example.org", data={}),
        28,
    ),
    "microprojets-rappel-suppression": reminder(Reminder.Kind.DATA_DELETION, rejected_long_ago, 0),
}
