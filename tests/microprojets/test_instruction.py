"""The instruction of an application in the admin: move buttons, assignment, messages, notes, the printable
summary, one message to every applicant of a call; the applicant's answer and withdrawal from the tracking page;
the permissions and two instructors moving the same application at once."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from langres_portal.core.models import OutboxEmail
from langres_portal.core.permissions import ROLE_EDITORS, ROLE_INSTRUCTORS
from microprojets import workflow
from microprojets.models import Application, Event, ReplyTemplate, StaffNote, StatusChange
from microprojets.services import moves, review

from .conftest import PDF
from .factories import ApplicationFactory, CallFactory
from .test_admin import make_attachment

S, A = workflow.Status, workflow.Actor
pytestmark = pytest.mark.django_db


def make_staff(username, role=None, **extra):
    user = get_user_model().objects.create_user(username, password="motdepasse-solide-123", is_staff=True, **extra)
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


@pytest.fixture
def instructor(content):
    return make_staff("claire", ROLE_INSTRUCTORS, first_name="Claire", last_name="Dupont")


@pytest.fixture
def instructor_client(client, instructor):
    client.force_login(instructor)
    return client


def change_url(application):
    return reverse("admin:microprojets_application_change", args=[application.pk])


def post_move(client, application, target, comment="", version=None, **kwargs):
    data = {"target": target, "comment": comment}
    data["expected_version"] = application.version if version is None else version
    return client.post(reverse("admin:microprojets_application_move", args=[application.pk]), data, **kwargs)


# --- Move buttons -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.SUBMITTED, S.UNDER_REVIEW, S.ON_AGENDA, S.REPORT_RECEIVED, S.CLOSED])
def test_the_page_offers_exactly_the_staff_moves_of_the_table(instructor_client, status):
    application = ApplicationFactory(status=status)
    page = instructor_client.get(change_url(application)).content.decode()
    offered = workflow.moves_from(status, A.STAFF)
    for move in workflow.MOVES:
        button = f'<input type="hidden" name="target" value="{move.target}">'
        if move in offered:
            assert button in page, move
        elif move.source == status:
            assert button not in page, move  # the committee's and the applicant's moves are not buttons here
    assert page.count('name="target"') == len(offered)
    if not offered:
        assert "Aucun changement de statut n’est possible" in page


def test_a_move_that_needs_a_reason_says_so_and_requires_it(instructor_client):
    application = ApplicationFactory(status=S.UNDER_REVIEW)
    response = instructor_client.get(change_url(application))
    assertContains(
        response,
        '<label for="commentaire-incomplete">Motif (obligatoire), communiqué au porteur</label>',
        html=True,
    )
    assertContains(
        response,
        '<textarea id="commentaire-incomplete" name="comment" rows="2" maxlength="5000" required></textarea>',
        html=True,
    )
    assertContains(response, '<label for="commentaire-on_agenda">Message au porteur (facultatif)</label>', html=True)


def test_instructor_asks_for_a_complement_and_the_applicant_is_told(instructor_client, instructor):
    application = ApplicationFactory(status=S.UNDER_REVIEW)
    response = post_move(instructor_client, application, S.INCOMPLETE, "Merci d’envoyer le devis.")
    assert response.status_code == 302 and response["Location"] == change_url(application)
    page = instructor_client.get(change_url(application))
    assertContains(page, "Le dossier est maintenant « Complément demandé »")
    application.refresh_from_db()
    assert application.status == S.INCOMPLETE
    change = application.status_changes.latest("pk")
    assert (change.by, change.actor, change.comment) == (instructor, A.STAFF, "Merci d’envoyer le devis.")
    mail = OutboxEmail.objects.get(template_key=moves.STATUS_EMAIL)
    assert mail.to == [application.email] and "Merci d’envoyer le devis." in mail.body_text
    assertContains(Client().get(application.get_tracking_url()), "Merci d’envoyer le devis.")


@pytest.mark.parametrize(
    ("status", "target"),
    [
        (S.SUBMITTED, S.ACCEPTED),  # not in the table
        (S.ON_AGENDA, S.ACCEPTED),  # the committee's move
        (S.UNDER_REVIEW, S.WITHDRAWN),  # the applicant's move
        (S.SUBMITTED, "n-importe-quoi"),  # not a status
        (S.CLOSED, S.UNDER_REVIEW),  # out of a final status
    ],
)
def test_a_forged_move_is_refused_with_a_french_message_and_nothing_changes(instructor_client, status, target):
    application = ApplicationFactory(status=status)
    before = (application.status, application.version, StatusChange.objects.count(), Event.objects.count())
    mails = OutboxEmail.objects.count()
    response = post_move(instructor_client, application, target, "Forcé", follow=True)
    application.refresh_from_db()
    assert (application.status, application.version, StatusChange.objects.count(), Event.objects.count()) == before
    assert OutboxEmail.objects.count() == mails
    errors = [m for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1
    text = str(errors[0])
    assert "ne peut" in text or "n’est pas proposé" in text, text


def test_a_missing_reason_is_refused_and_the_page_says_why(instructor_client):
    application = ApplicationFactory(status=S.UNDER_REVIEW)
    response = post_move(instructor_client, application, S.ABANDONED, "   ", follow=True)
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW and application.status_changes.count() == 2
    assertContains(response, "Indiquez le motif du passage à « Classé sans suite » : il est communiqué au porteur.")


def test_a_stale_page_is_refused_names_who_moved_and_keeps_what_was_typed(instructor_client, content):
    other = make_staff("marc", ROLE_INSTRUCTORS, first_name="Marc", last_name="Petit")
    application = ApplicationFactory(status=S.UNDER_REVIEW)
    seen = application.version
    moves.move(application_id=application.pk, target=S.ON_AGENDA, actor=A.STAFF, by=other, expected_version=seen)
    response = post_move(instructor_client, application, S.INCOMPLETE, "Le devis, svp.", version=seen, follow=True)
    application.refresh_from_db()
    assert application.status == S.ON_AGENDA and application.status_changes.count() == 3
    assertContains(response, "Ce dossier vient d’être modifié par Marc Petit")
    # The page opens again on the current status; the comment typed for a move still offered is kept.
    response = post_move(instructor_client, application, S.ABANDONED, "Projet annulé", version=seen, follow=True)
    assertContains(response, ">Projet annulé</textarea>")


def test_the_move_view_takes_post_only_and_checks_csrf(instructor, content):
    application = ApplicationFactory()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(instructor)
    url = reverse("admin:microprojets_application_move", args=[application.pk])
    assert strict.get(url).status_code == 405
    assert post_move(strict, application, S.UNDER_REVIEW).status_code == 403
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


# --- What the applicant sent, the log, no deletion ---------------------------------------------------------------


def test_what_the_applicant_sent_and_the_log_are_read_only_even_for_a_superuser(admin_client, content):
    application = ApplicationFactory(status=S.INCOMPLETE)
    response = admin_client.get(change_url(application))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="title"' not in page and 'name="email"' not in page  # shown, not editable
    assert 'name="status_changes-0-comment"' not in page and "status_changes-__prefix__" not in page
    assert "Journal de l’instruction" in page and "Complément demandé" in page
    before = application.title
    response = admin_client.post(change_url(application), {"title": "Changé"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.title == before


def test_an_instructor_without_model_permissions_sees_the_budget_the_files_and_the_log(instructor_client):
    from microprojets.models import BudgetLine

    application = ApplicationFactory(status=S.UNDER_REVIEW)
    BudgetLine.objects.create(application=application, kind="expense", label="Bacs en bois", amount=800)
    attachment = make_attachment(application)
    page = instructor_client.get(change_url(application)).content.decode()
    assert "Bacs en bois" in page
    assert reverse("admin:microprojets_attachment_download", args=[attachment.pk]) in page
    assert "Journal de l’instruction" in page


def test_applications_cannot_be_deleted_in_the_admin(admin_client, content):
    application = ApplicationFactory()
    delete = reverse("admin:microprojets_application_delete", args=[application.pk])
    assert admin_client.get(delete).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    changelist = admin_client.get(reverse("admin:microprojets_application_changelist"))
    assert "delete_selected" not in changelist.content.decode()
    response = admin_client.post(
        reverse("admin:microprojets_application_changelist"),
        {"action": "delete_selected", "_selected_action": [application.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert Application.objects.filter(pk=application.pk).exists()


# --- Permissions --------------------------------------------------------------------------------------------------


def application_urls(application, attachment):
    pk = application.pk
    return [
        ("get", reverse("admin:microprojets_application_changelist")),
        ("get", reverse("admin:microprojets_application_change", args=[pk])),
        ("get", reverse("admin:microprojets_application_history", args=[pk])),
        ("get", reverse("admin:microprojets_application_summary", args=[pk])),
        ("get", reverse("admin:microprojets_attachment_download", args=[attachment.pk])),
        ("post", reverse("admin:microprojets_application_move", args=[pk])),
        ("post", reverse("admin:microprojets_application_assign", args=[pk])),
        ("post", reverse("admin:microprojets_application_message", args=[pk])),
        ("post", reverse("admin:microprojets_application_note", args=[pk])),
        ("get", reverse("admin:microprojets_call_message", args=[application.call_id])),
        ("post", reverse("admin:microprojets_call_message", args=[application.call_id])),
        ("get", reverse("admin:microprojets_replytemplate_changelist")),
        ("get", reverse("admin:microprojets_replytemplate_add")),
    ]


@pytest.mark.parametrize("role", [None, ROLE_EDITORS])
def test_staff_outside_the_instructors_get_403_on_every_application_url(client, content, role):
    application = ApplicationFactory()
    attachment = make_attachment(application)
    client.force_login(make_staff("redacteur", role))
    data = {"target": S.UNDER_REVIEW, "expected_version": 0, "text": "x", "comment": "x"}
    for method, url in application_urls(application, attachment):
        response = getattr(client, method)(url, data) if method == "post" else client.get(url)
        assert response.status_code == 403, url
        assert ROLE_INSTRUCTORS in response.content.decode(), url  # the 403 page names the role to ask for
    application.refresh_from_db()
    assert application.status == S.SUBMITTED and not application.events.filter(message="x").exists()
    assert not StaffNote.objects.exists() and OutboxEmail.objects.count() == 0


def test_instructors_open_every_application_url(instructor_client, content):
    application = ApplicationFactory()
    attachment = make_attachment(application)
    for method, url in application_urls(application, attachment):
        if method == "get":
            assert instructor_client.get(url).status_code == 200, url


# --- Assignment ---------------------------------------------------------------------------------------------------


def test_instructor_assigns_an_application_and_finds_it_under_to_handle_by_me(instructor_client, instructor):
    mine = ApplicationFactory(title="Le mien")
    unassigned = ApplicationFactory(title="Personne")
    waiting_for_applicant = ApplicationFactory(title="Attend le porteur", status=S.INCOMPLETE)
    response = instructor_client.post(
        reverse("admin:microprojets_application_assign", args=[mine.pk]), {"assigned_to": instructor.pk}
    )
    assert response.status_code == 302
    review.assign(application_id=waiting_for_applicant.pk, to=instructor)
    mine.refresh_from_db()
    assert mine.assigned_to == instructor
    changelist = reverse("admin:microprojets_application_changelist")
    page = instructor_client.get(changelist, {"a_traiter": "moi"}).content.decode()
    assert "Le mien" in page and "Personne" not in page and "Attend le porteur" not in page
    page = instructor_client.get(changelist, {"a_traiter": "personne"}).content.decode()
    assert "Personne" in page and "Le mien" not in page
    assert unassigned.assigned_to is None


def test_only_an_instructor_can_be_assigned(instructor_client, content):
    application = ApplicationFactory()
    editor = make_staff("redacteur", ROLE_EDITORS)
    response = instructor_client.post(
        reverse("admin:microprojets_application_assign", args=[application.pk]),
        {"assigned_to": editor.pk},
        follow=True,
    )
    assertContains(response, "Choisissez un instructeur de la liste.")
    application.refresh_from_db()
    assert application.assigned_to is None
    with pytest.raises(review.NotAnInstructor):
        review.assign(application_id=application.pk, to=editor)


# --- Messages, reply templates, notes -----------------------------------------------------------------------------


def test_reply_templates_come_from_the_content_and_prefill_the_message(instructor_client):
    assert ReplyTemplate.objects.count() >= 3
    template = ReplyTemplate.objects.get(title="Pièce manquante")
    application = ApplicationFactory()
    response = instructor_client.get(change_url(application), {"modele": template.pk})
    message = response.context["instruction"]["message_form"]
    assert message["text"].value() == template.body
    assertContains(response, "Pour poursuivre l’instruction de votre dossier")


def test_an_empty_message_is_refused_in_french(instructor_client):
    application = ApplicationFactory()
    url = reverse("admin:microprojets_application_message", args=[application.pk])
    response = instructor_client.post(url, {"text": "  "}, follow=True)
    assertContains(response, "Écrivez le texte : « Message au porteur » est vide.")
    assert not application.events.exclude(status=S.SUBMITTED).exists() and OutboxEmail.objects.count() == 0


def test_notes_stay_with_the_staff_never_on_the_tracking_page_nor_in_any_email(instructor_client, client):
    application = ApplicationFactory(status=S.UNDER_REVIEW)
    url = reverse("admin:microprojets_application_note", args=[application.pk])
    assert instructor_client.post(url, {"text": "Porteur déjà aidé en 2024, NOTE-SECRETE."}).status_code == 302
    note = StaffNote.objects.get()
    assert note.by.username == "claire"
    assertContains(instructor_client.get(change_url(application)), "NOTE-SECRETE")
    post_move(instructor_client, application, S.INCOMPLETE, "Le devis.")
    assertNotContains(client.get(application.get_tracking_url()), "NOTE-SECRETE")
    assert not any("NOTE-SECRETE" in m.body_text + m.body_html + m.subject for m in OutboxEmail.objects.all())
    assert not Event.objects.filter(message__contains="NOTE-SECRETE").exists()


def test_the_thread_is_newest_first_and_marks_automatic_changes_apart(instructor_client, client):
    application = ApplicationFactory()
    post_move(instructor_client, application, S.UNDER_REVIEW)
    instructor_client.post(
        reverse("admin:microprojets_application_message", args=[application.pk]), {"text": "Premier message"}
    )
    instructor_client.post(
        reverse("admin:microprojets_application_message", args=[application.pk]), {"text": "Second message"}
    )
    thread = instructor_client.get(change_url(application)).context["instruction"]["thread"]
    assert [e.message or e.status for e in thread] == [
        "Second message",
        "Premier message",
        S.UNDER_REVIEW,
        S.SUBMITTED,
    ]
    page = instructor_client.get(change_url(application)).content.decode()
    assert page.count('<span class="thread-tag">Automatique</span>') == 2
    assert page.count('<span class="thread-tag">Service</span>') == 2
    tracking = client.get(application.get_tracking_url()).content.decode()
    assert tracking.index("Second message") < tracking.index("Premier message") < tracking.index("(changement de")


# --- The applicant's answer ---------------------------------------------------------------------------------------


def test_the_applicants_answer_to_a_complement_puts_the_application_back_in_instruction(
    instructor_client, client, content
):
    application = ApplicationFactory(status=S.INCOMPLETE)
    url = reverse("microprojets:complement", args=[application.tracking_token])
    response = client.post(url, {"message": "Voici le devis.", "others": SimpleUploadedFile("devis.pdf", PDF)})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    change = application.status_changes.latest("pk")
    assert (change.from_status, change.actor, change.by) == (S.INCOMPLETE, A.APPLICANT, None)
    answer = application.events.get(from_applicant=True, status="")
    assert [a.original_name for a in answer.attachments.all()] == ["devis.pdf"]
    assert not OutboxEmail.objects.filter(template_key=moves.STATUS_EMAIL).exists()  # they made it themselves
    assert OutboxEmail.objects.filter(template_key="microprojets-complement").count() == 1
    page = instructor_client.get(change_url(application)).content.decode()
    assert "message du porteur" in page and "« devis.pdf » : en attente d’analyse" in page


def test_a_refused_file_neither_stores_the_answer_nor_moves_the_application(client, content):
    application = ApplicationFactory(status=S.INCOMPLETE)
    url = reverse("microprojets:complement", args=[application.tracking_token])
    response = client.post(url, {"message": "Voici.", "others": SimpleUploadedFile("devis.pdf", b"MZ\x90\x00")})
    assertContains(response, "n’est ni un PDF")
    application.refresh_from_db()
    assert application.status == S.INCOMPLETE and not application.events.filter(from_applicant=True).exists()


def test_the_applicant_may_write_until_the_application_is_finished(client, content):
    under_review = ApplicationFactory(status=S.UNDER_REVIEW)
    url = reverse("microprojets:complement", args=[under_review.tracking_token])
    assert client.post(url, {"message": "Une question."}).status_code == 302
    under_review.refresh_from_db()
    assert under_review.status == S.UNDER_REVIEW and under_review.events.filter(message="Une question.").exists()
    withdrawn = ApplicationFactory(status=S.WITHDRAWN)
    url = reverse("microprojets:complement", args=[withdrawn.tracking_token])
    assertNotContains(client.get(url), "<form")
    client.post(url, {"message": "Trop tard"})
    assert not withdrawn.events.filter(from_applicant=True, status="").exists()


# --- Withdrawal ---------------------------------------------------------------------------------------------------


def test_the_applicant_withdraws_after_a_confirmation_and_the_service_is_told(client, content):
    application = ApplicationFactory(status=S.UNDER_REVIEW)
    tracking = client.get(application.get_tracking_url())
    url = reverse("microprojets:withdraw", args=[application.tracking_token])
    assertContains(tracking, f'href="{url}"')
    confirmation = client.get(url)
    assertContains(confirmation, "Vous ne pourrez pas l’annuler")
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW  # opening the page changes nothing
    response = client.post(url, {"reason": "Projet reporté.", "expected_version": application.version})
    assert response["Location"] == application.get_tracking_url()
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    change = application.status_changes.latest("pk")
    assert (change.actor, change.comment) == (A.APPLICANT, "Projet reporté.")
    mail = OutboxEmail.objects.get(template_key=review.WITHDRAWN_EMAIL)
    assert mail.to == ["sebastien.bertrand@langres.fr"] and "Projet reporté." in mail.body_text
    assertNotContains(client.get(application.get_tracking_url()), f'href="{url}"')


@pytest.mark.parametrize("status", [S.ACCEPTED, S.REJECTED, S.PAID, S.WITHDRAWN])
def test_no_withdrawal_after_a_decision(client, content, status):
    application = ApplicationFactory(status=status)
    url = reverse("microprojets:withdraw", args=[application.tracking_token])
    assertNotContains(client.get(application.get_tracking_url()), f'href="{url}"')
    response = client.post(url, {"reason": "", "expected_version": application.version})
    assertContains(response, "il ne peut plus être retiré")
    application.refresh_from_db()
    assert application.status == status


def test_a_withdrawal_from_a_stale_page_is_refused(client, content):
    application = ApplicationFactory()
    seen = application.version
    moves.move(application_id=application.pk, target=S.UNDER_REVIEW, actor=A.STAFF)
    url = reverse("microprojets:withdraw", args=[application.tracking_token])
    response = client.post(url, {"reason": "", "expected_version": seen})
    assert response.status_code == 409
    assertContains(response, "Ce dossier vient d’être modifié", status_code=409)
    assertContains(response, "<title>Erreur – ", status_code=409, html=False)
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW


# --- One message to every applicant of a call --------------------------------------------------------------------


def test_one_message_to_every_applicant_of_a_call_one_email_each(instructor_client):
    call = CallFactory()
    applications = [
        ApplicationFactory(call=call, email=f"porteur{i}@example.org", status=status)
        for i, status in enumerate([S.SUBMITTED, S.UNDER_REVIEW, S.WITHDRAWN])
    ]
    ApplicationFactory(email="autre-appel@example.org")
    url = reverse("admin:microprojets_call_message", args=[call.pk])
    assertContains(instructor_client.get(url), "2 dossiers en cours sur 3")
    response = instructor_client.post(url, {"text": "Le comité se réunira le 12 mai."})
    assert response.status_code == 302
    mails = OutboxEmail.objects.filter(template_key="microprojets-message-du-service")
    assert sorted(address for m in mails for address in m.to) == ["porteur0@example.org", "porteur1@example.org"]
    assert all(len(m.to) == 1 for m in mails)  # never one e-mail with several applicants' addresses
    for application, told in zip(applications, [True, True, False], strict=True):
        assert application.events.filter(message="Le comité se réunira le 12 mai.").exists() == told
        assert any(application.tracking_token in m.body_text for m in mails) == told
    instructor_client.post(url, {"text": "Aussi aux retirés.", "include_finished": "on"})
    assert OutboxEmail.objects.filter(template_key="microprojets-message-du-service").count() == 5


def test_an_empty_message_to_a_call_is_refused_at_its_field(instructor_client):
    call = CallFactory()
    ApplicationFactory(call=call)
    response = instructor_client.post(reverse("admin:microprojets_call_message", args=[call.pk]), {"text": ""})
    assertContains(response, "Écrivez le texte", status_code=400)
    assertContains(response, "<title>Erreur – ", status_code=400, html=False)
    assert OutboxEmail.objects.count() == 0


# --- Printable summary --------------------------------------------------------------------------------------------


def test_the_printable_summary_has_the_application_and_a_print_stylesheet(instructor_client):
    application = ApplicationFactory(status=S.INCOMPLETE, organisation_name="Les <b>Tulipes</b>")
    response = instructor_client.get(reverse("admin:microprojets_application_summary", args=[application.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "microprojets/print-summary.css" in page
    assert "Les &lt;b&gt;Tulipes&lt;/b&gt;" in page and application.reference in page
    assert "Complément demandé" in page and "Journal de l’instruction" in page
    assert " style=" not in page and "<style" not in page


# --- Query counts -------------------------------------------------------------------------------------------------


def test_the_change_page_keeps_its_queries_from_10_to_200_applications(instructor_client):
    call = CallFactory()
    application = ApplicationFactory(call=call, status=S.UNDER_REVIEW)
    make_attachment(application)
    review.add_note(application_id=application.pk, text="Note", by=get_user_model().objects.get(username="claire"))
    ApplicationFactory.create_batch(9, call=call)
    url = change_url(application)
    instructor_client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert instructor_client.get(url).status_code == 200
    ApplicationFactory.create_batch(190, call=call)
    for i in range(5):  # the page's own rows grow too: messages, notes
        review.send_message(application_id=application.pk, text=f"Message {i}", by=None)
        review.add_note(application_id=application.pk, text=f"Note {i}", by=get_user_model().objects.first())
    with CaptureQueriesContext(connection) as many:
        assert instructor_client.get(url).status_code == 200
    assert Application.objects.count() == 200
    assert len(many.captured_queries) == len(few.captured_queries)


# --- Two instructors at the same moment ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_instructors_moving_at_once_from_the_same_page_one_wins_no_log_row_lost(content):
    """Both threads post the version their page showed. The row lock (PostgreSQL: SELECT … FOR UPDATE; SQLite:
    the IMMEDIATE transaction's write lock) makes the second wait, then see the new version and refuse."""
    claire = make_staff("claire", ROLE_INSTRUCTORS, first_name="Claire", last_name="Dupont")
    marc = make_staff("marc", ROLE_INSTRUCTORS, first_name="Marc", last_name="Petit")
    application = ApplicationFactory(status=S.UNDER_REVIEW)
    seen, logged = application.version, application.status_changes.count()
    barrier = threading.Barrier(2)
    results, errors = {}, []

    def act(user, target, comment):
        try:
            barrier.wait()
            moved = moves.move(
                application_id=application.pk,
                target=target,
                actor=A.STAFF,
                by=user,
                comment=comment,
                expected_version=seen,
            )
            results[user.username] = moved.change
        except moves.StaleApplication as stale:
            results[user.username] = stale
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=(claire, S.INCOMPLETE, "Le devis, svp.")),
        threading.Thread(target=act, args=(marc, S.ABANDONED, "Projet annulé.")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    won = [name for name, result in results.items() if isinstance(result, StatusChange)]
    lost = [name for name, result in results.items() if isinstance(result, moves.StaleApplication)]
    assert len(won) == 1 and len(lost) == 1
    winner = get_user_model().objects.get(username=won[0])
    assert f"vient d’être modifié par {winner.get_full_name()}" in results[lost[0]].message
    application.refresh_from_db()
    assert application.version == seen + 1
    assert application.status_changes.count() == logged + 1
    last = application.status_changes.latest("pk")
    assert last.by == winner and last.to_status == application.status
    assert list(application.status_changes.values_list("to_status", flat=True).order_by("pk"))[-2:] == [
        S.UNDER_REVIEW,
        application.status,
    ]
