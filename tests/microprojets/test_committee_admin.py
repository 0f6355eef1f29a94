"""The committee's admin pages: permissions, the session page's actions and bad input, the PDF files' text, and a
number of queries that does not grow with the agenda."""

from decimal import Decimal
from html.parser import HTMLParser
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader
from pytest_django.asserts import assertContains, assertRedirects

from langres_portal.core.models import OutboxEmail
from langres_portal.core.permissions import ROLE_INSTRUCTORS
from microprojets import workflow
from microprojets.models import AgendaItem, Application, Vote
from microprojets.services import committee as services

from .factories import ApplicationFactory, CallFactory, CommitteeSessionFactory, committee

S = workflow.Status
pytestmark = pytest.mark.usefixtures("content")
PAGES = ["session", "publish", "agenda", "agenda_pdf", "minutes", "minutes_pdf", "change", "delete"]


@pytest.fixture
def instructor(django_user_model):
    user = django_user_model.objects.create_user(
        "instructeur", "i@example.org", "motdepasse-solide-123", is_staff=True
    )
    user.groups.add(Group.objects.get_or_create(name=ROLE_INSTRUCTORS)[0])
    return user


@pytest.fixture
def instructor_client(client, instructor):
    client.force_login(instructor)
    return client


def url(name, session):
    return reverse(f"admin:microprojets_committeesession_{name}", args=[session.pk])


def session_with_application(**application):
    call = CallFactory(max_amount=Decimal("500"))
    session = committee(call, names=["Alice Habitante", "Bruno Élu", "Chloé Agent"])
    app = ApplicationFactory(call=call, status=S.UNDER_REVIEW, amount_requested=Decimal("800"), **application)
    return session, app


def post(client, session, **data):
    return client.post(url("session", session), data)


def test_a_staff_member_outside_the_instructors_gets_403_on_every_committee_url(client, django_user_model):
    session = CommitteeSessionFactory(calls=[CallFactory()])
    editor = django_user_model.objects.create_user("redaction", password="x", is_staff=True)
    editor.groups.add(Group.objects.get_or_create(name="Rédaction")[0])
    client.force_login(editor)
    urls = [
        reverse("admin:microprojets_committeesession_changelist"),
        reverse("admin:microprojets_committeesession_add"),
    ]
    urls += [url(name, session) for name in PAGES]
    for address in urls:
        response = client.get(address)
        assert response.status_code == 403, address
        if "pdf" not in address:
            assertContains(response, ROLE_INSTRUCTORS, status_code=403)
    assert client.post(url("publish", session)).status_code == 403
    assert client.post(url("session", session), {"action": "add"}).status_code == 403


def test_an_instructor_opens_every_committee_page(instructor_client):
    session, application = session_with_application()
    services.add_to_agenda(session_id=session.pk, application_id=application.pk, by=None)
    for name in PAGES:
        response = instructor_client.get(url(name, session))
        assert response.status_code == 200, name
    pdf = instructor_client.get(url("agenda_pdf", session))
    assert pdf["Content-Type"] == "application/pdf" and pdf["Content-Disposition"].startswith("attachment;")


def test_the_whole_session_from_the_page(instructor_client, instructor, django_capture_on_commit_callbacks):
    session, application = session_with_application()
    response = post(instructor_client, session, action="add", application=application.pk)
    assertRedirects(response, url("session", session), fetch_redirect_response=False)
    item = AgendaItem.objects.get()
    members = list(session.members.order_by("name"))
    votes = {f"votes-{item.pk}-member_{m.pk}": "for" for m in members[:2]} | {
        f"votes-{item.pk}-member_{members[2].pk}": "abstain"
    }
    response = post(instructor_client, session, action="votes", item=item.pk, **votes)
    assert response.status_code == 302
    assert sorted(Vote.objects.values_list("choice", flat=True)) == ["abstain", "for", "for"]
    decision = {f"decision-{item.pk}-decision": "accept", f"decision-{item.pk}-amount": "300"}
    assert post(instructor_client, session, action="decision", item=item.pk, **decision).status_code == 302
    page = instructor_client.get(url("publish", session))
    assertContains(page, "Confirmer : publier les 1 décision")
    with django_capture_on_commit_callbacks(execute=True):
        response = instructor_client.post(url("publish", session))
    assertRedirects(response, url("session", session), fetch_redirect_response=False)
    application.refresh_from_db()
    assert (application.status, application.amount_granted) == (S.ACCEPTED, Decimal("300"))
    assert OutboxEmail.objects.filter(template_key=services.DECISION_EMAIL).count() == 1
    page = instructor_client.get(url("session", session))
    assertContains(page, "Décisions publiées")
    assert "Enregistrer la décision" not in page.content.decode()
    # Publishing twice (a second tab, a double click) is refused with a message.
    response = instructor_client.post(url("publish", session), follow=True)
    assertContains(response, "déjà publiées")
    assert OutboxEmail.objects.filter(template_key=services.DECISION_EMAIL).count() == 1
    # The tracking page shows the decision.
    tracking = instructor_client.get(application.get_tracking_url())
    assertContains(tracking, "Retenu")
    assertContains(tracking, "300,00 €")


def test_an_amount_over_the_maximum_is_refused_at_its_field_and_kept(instructor_client):
    session, application = session_with_application()
    item = services.add_to_agenda(session_id=session.pk, application_id=application.pk, by=None)
    data = {f"decision-{item.pk}-decision": "accept", f"decision-{item.pk}-amount": "650,00"}
    response = post(instructor_client, session, action="decision", item=item.pk, **data)
    assert response.status_code == 200 and response.context["failed"] is not None
    body = response.content.decode()
    assert "<title>Erreur –" in body
    assertContains(response, "ne peut pas dépasser le maximum de l’appel (500,00 € par projet)", status_code=200)
    assertContains(response, 'value="650,00"', status_code=200)
    assertContains(response, f'href="#id_decision-{item.pk}-amount"', status_code=200)
    item.refresh_from_db()
    assert item.decision == "" and item.amount is None


def test_a_decision_without_quorum_is_refused_on_the_page(instructor_client):
    session, application = session_with_application()
    session.members.filter(name="Chloé Agent").update(present=False)
    item = services.add_to_agenda(session_id=session.pk, application_id=application.pk, by=None)
    data = {f"decision-{item.pk}-decision": "refuse", f"decision-{item.pk}-reason": "Non collectif"}
    response = post(instructor_client, session, action="decision", item=item.pk, **data)
    assertContains(response, "Quorum non atteint", status_code=200)
    assert AgendaItem.objects.get().decision == ""


def test_a_forged_vote_for_a_member_of_another_session_is_not_recorded(instructor_client):
    session, application = session_with_application()
    other = committee(session.calls.first())
    item = services.add_to_agenda(session_id=session.pk, application_id=application.pk, by=None)
    outsider = other.members.first()
    response = post(instructor_client, session, action="votes", item=item.pk, **{
        f"votes-{item.pk}-member_{outsider.pk}": "for"
    })  # fmt: skip
    assertContains(response, "Cochez au moins un vote", status_code=200)
    assert not Vote.objects.exists()


def test_a_second_vote_posted_from_a_stale_page_is_refused(instructor_client):
    session, application = session_with_application()
    item = services.add_to_agenda(session_id=session.pk, application_id=application.pk, by=None)
    member = session.members.first()
    data = {f"votes-{item.pk}-member_{member.pk}": "for"}
    assert post(instructor_client, session, action="votes", item=item.pk, **data).status_code == 302
    data = {f"votes-{item.pk}-member_{member.pk}": "against"}
    response = post(instructor_client, session, action="votes", item=item.pk, **data)
    assert response.status_code == 200 and response.context["failed"] is not None
    assert list(Vote.objects.values_list("choice", flat=True)) == ["for"]


@pytest.mark.parametrize("item", ["", "abc", "²", "99999999999999999999", "-1", "1 OR 1=1"])
def test_any_item_value_gives_a_message_never_an_error(instructor_client, item):
    session, _ = session_with_application()
    response = post(instructor_client, session, action="votes", item=item)
    assert response.status_code == 302
    assert "n’est plus à l’ordre du jour" in instructor_client.get(response["Location"]).content.decode()


def test_the_add_form_refuses_an_application_of_another_call(instructor_client):
    session, _ = session_with_application()
    stranger = ApplicationFactory(status=S.UNDER_REVIEW)
    response = post(instructor_client, session, action="add", application=stranger.pk)
    assertContains(response, "Ce dossier ne peut pas être inscrit à cette séance", status_code=200)
    assert not AgendaItem.objects.exists()


def pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)


def test_the_minutes_pdf_names_the_members_their_votes_the_decisions_and_the_amounts(instructor_client, instructor):
    session, application = session_with_application(title="Jardin des Tulipes")
    item = services.add_to_agenda(session_id=session.pk, application_id=application.pk, by=instructor)
    members = list(session.members.order_by("name"))
    services.record_votes(item_id=item.pk, votes={members[0].pk: "for", members[1].pk: "against"})
    services.record_votes(item_id=item.pk, votes={members[2].pk: "conflict"})
    session.members.create(name="Dora Absente", role="partenaire", present=False)
    call = session.calls.get()
    call.committee_quorum = 2  # with the conflict, two members vote
    call.save()
    services.record_decision(item_id=item.pk, decision="accept", amount="300", by=instructor)
    services.publish(session_id=session.pk, by=instructor)

    text = pdf_text(instructor_client.get(url("minutes_pdf", session)))
    for expected in [
        "Procès-verbal",
        "Alice Habitante",
        "Bruno Élu",
        "Chloé Agent",
        "Dora Absente",
        "Absent(e)",
        "Jardin des Tulipes",
        application.reference,
        "Pour : 1 – contre : 1 – abstention : 0 – conflit d’intérêts (ne vote pas) : 1",
        "Décision : Retenir, montant accordé 300,00 €",
        "15\xa0000,00 €",  # the envelope (grouped with a no-break space)
        "14\xa0700,00 €",  # what remains
    ]:
        assert expected in text, expected
    agenda = pdf_text(instructor_client.get(url("agenda_pdf", session)))
    assert "Ordre du jour" in agenda and application.reference in agenda and "800,00 €" in agenda


def test_the_pdf_fetches_nothing_a_value_points_to(instructor_client, instructor):
    session, application = session_with_application(title='<img src="file:///etc/passwd">')
    session.place = '<link rel="stylesheet" href="http://203.0.113.9/x.css">'
    session.save()
    services.add_to_agenda(session_id=session.pk, application_id=application.pk, by=instructor)
    text = pdf_text(instructor_client.get(url("agenda_pdf", session)))
    assert '<img src="file:///etc/passwd">' in text.replace("\n", "")  # escaped: shown as text


def make_agenda(session, n):
    """n applications on the agenda, each with three votes (rows written in bulk: only the page is measured)."""
    call = session.calls.first()
    template = ApplicationFactory(call=call, status=S.ON_AGENDA)
    fields = {f.attname: getattr(template, f.attname) for f in Application._meta.concrete_fields if f.attname != "id"}
    start = Application.objects.count()
    rows = [
        Application(**{**fields, "reference": f"MP-2030-{start + i:04d}", "tracking_token": f"t{start + i}",
                       "source_token": f"s{start + i}"})
        for i in range(n - 1)
    ]  # fmt: skip
    applications = [template, *Application.objects.bulk_create(rows)]
    items = AgendaItem.objects.bulk_create(
        AgendaItem(session=session, application=a, order=i) for i, a in enumerate(applications)
    )
    members = list(session.members.all())
    Vote.objects.bulk_create(Vote(item=item, member=m, choice="for") for item in items for m in members)
    return items


@pytest.mark.parametrize("name", ["session", "minutes", "agenda", "publish"])
def test_the_committee_pages_query_count_does_not_grow_with_the_agenda(instructor_client, name):
    counts = []
    for size in (10, 500):
        session = committee(CallFactory(envelope=Decimal("1000000")))
        make_agenda(session, size)
        with CaptureQueriesContext(connection) as queries:
            response = instructor_client.get(url(name, session))
        assert response.status_code == 200
        assert response.content.decode().count("MP-2030-") >= size - 1
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts


class FormNames(HTMLParser):
    """The labels of a page's form fields (label[for], aria-label) and its table headers' texts."""

    def __init__(self):
        super().__init__()
        self.labelled, self.fields, self.headers, self._th = set(), [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self.labelled.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") != "hidden" and attrs.get("id"):
            self.fields.append(attrs["id"])
            if attrs.get("aria-label"):
                self.labelled.add(attrs["id"])
        if tag == "th":
            self._th = ""

    def handle_data(self, data):
        if self._th is not None:
            self._th += data

    def handle_endtag(self, tag):
        if tag == "th" and self._th is not None:
            self.headers.append(self._th.strip())
            self._th = None


@pytest.mark.parametrize("page", ["add", "change"])
def test_every_member_field_of_the_session_form_has_a_label_and_no_header_is_empty(instructor_client, page):
    """axe-core (RGAA 11.1): the members' name, role and presence each have a label; no empty table header."""
    if page == "add":
        url = reverse("admin:microprojets_committeesession_add")
    else:
        url = reverse("admin:microprojets_committeesession_change", args=[committee(CallFactory()).pk])
    response = instructor_client.get(url)
    assert response.status_code == 200
    names = FormNames()
    names.feed(response.content.decode())
    member_fields = [f for f in names.fields if f.startswith("id_members-") and "__prefix__" not in f]
    assert member_fields
    assert [f for f in member_fields if f not in names.labelled] == []
    assert "" not in names.headers
