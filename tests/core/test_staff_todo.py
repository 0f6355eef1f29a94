"""The admin index starts with what waits for this staff member (issue 11, item 9): the PRE's requests to handle,
the e-mails that could not leave, the applications assigned to them; each count links to its list, and nobody
sees what their role cannot act on."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from langres_portal.core.models import OutboxEmail
from langres_portal.core.permissions import ROLE_EDITORS, ROLE_INSTRUCTORS, ROLE_PRE
from microprojets import workflow
from tests.microprojets.factories import ApplicationFactory
from tests.pre.factories import ContactRequestFactory

pytestmark = pytest.mark.usefixtures("content")


def member(django_user_model, role, **extra):
    user = django_user_model.objects.create_user(role[:20], password="x", is_staff=True, **extra)
    user.groups.add(Group.objects.get(name=role))
    return user


def index(client, user):
    client.force_login(user)
    return client.get(reverse("admin:index"))


def failed_email(**fields):
    return OutboxEmail.objects.create(to=["x@example.org"], subject="s", body_text="t", **fields)


def test_each_role_sees_what_waits_for_it_and_nothing_else(client, django_user_model):
    ContactRequestFactory.create_batch(2)
    ContactRequestFactory(handled_at=timezone.now())
    failed_email(gave_up=True, rendered_at=timezone.now())
    failed_email()  # its template failed: never rendered
    instructor = member(django_user_model, ROLE_INSTRUCTORS)
    ApplicationFactory(assigned_to=instructor, status=sorted(workflow.WAITING_FOR_STAFF)[0])

    page = index(client, member(django_user_model, ROLE_PRE))
    pre_list = reverse("admin:pre_contactrequest_changelist")
    assertContains(
        page, f'<a href="{pre_list}?etat=a-traiter"><strong>2</strong> demandes de rappel du PRE à traiter</a>'
    )
    assertNotContains(page, "courriels")

    page = index(client, instructor)
    assertContains(page, "<strong>1</strong> dossiers de microprojets à traiter par moi")
    assertNotContains(page, "demandes de rappel")

    page = index(client, django_user_model.objects.create_superuser("chef", password="x"))
    outbox = reverse("admin:core_outboxemail_changelist")
    assertContains(page, f'<a href="{outbox}?etat=abandonne"><strong>1</strong> courriels abandonnés</a>')
    assertContains(page, "<strong>1</strong> courriels dont le modèle est à corriger")
    assertNotContains(page, "demandes de rappel")  # a superuser outside « Coordination PRE » does not read them

    assertContains(index(client, member(django_user_model, ROLE_EDITORS)), "Rien ne vous attend pour le moment.")


def test_the_panel_costs_the_same_queries_with_many_rows(client, django_user_model):
    coordinator = member(django_user_model, ROLE_PRE)
    index(client, coordinator)
    with CaptureQueriesContext(connection) as few:
        index(client, coordinator)
    ContactRequestFactory.create_batch(30)
    with CaptureQueriesContext(connection) as many:
        index(client, coordinator)
    assert len(many) == len(few)
