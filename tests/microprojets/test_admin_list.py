"""The applications' list in the admin: its filters (call, status, neighbourhood, pillar, year, instructor, porteur
kind, « à traiter »), its search, and its amounts written and sorted as amounts."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from contrat_ville.models import Pillar
from langres_portal.core.permissions import ROLE_EDITORS, ROLE_INSTRUCTORS
from microprojets import workflow
from microprojets.services import review
from quartiers.models import Quartier

from .factories import ApplicationFactory

S = workflow.Status
pytestmark = pytest.mark.usefixtures("content")
URL = "admin:microprojets_application_changelist"


@pytest.fixture
def instructor(django_user_model):
    user = django_user_model.objects.create_user(
        "instructeur", password="motdepasse-solide-123", is_staff=True, first_name="Inès", last_name="Truc"
    )
    user.groups.add(Group.objects.get_or_create(name=ROLE_INSTRUCTORS)[0])
    return user


def references(client, **params):
    response = client.get(reverse(URL), params)
    assert response.status_code == 200
    return {a.reference for a in response.context["cl"].result_list}


def test_the_list_filters_by_neighbourhood_pillar_and_porteur_kind(admin_client):
    q1, q2 = Quartier.objects.all()[:2]
    p1, p2 = Pillar.objects.all()[:2]
    a = ApplicationFactory(quartier=q1, pillar=p1, porteur_kind="collectif")
    b = ApplicationFactory(quartier=q2, pillar=p2, porteur_kind="association")
    assert references(admin_client, quartier__id__exact=q1.pk) == {a.reference}
    assert references(admin_client, pillar__id__exact=p2.pk) == {b.reference}
    assert references(admin_client, porteur_kind__exact="collectif") == {a.reference}


def test_the_list_filters_by_year_of_submission_in_local_time(admin_client):
    paris = timezone.get_current_timezone()
    new_year = ApplicationFactory(submitted_at=datetime(2026, 1, 1, 0, 30, tzinfo=paris))  # 2025 in UTC
    old = ApplicationFactory(submitted_at=datetime(2025, 6, 1, 12, tzinfo=paris))
    assert references(admin_client, annee="2026") == {new_year.reference}
    assert references(admin_client, annee="2025") == {old.reference}
    page = admin_client.get(reverse(URL)).content.decode()
    assert "année de réception" in page and "?annee=2026" in page


def test_the_instructor_filter_offers_only_instructors_and_no_one(admin_client, instructor, django_user_model):
    editor = django_user_model.objects.create_user("redaction", is_staff=True, first_name="Éric", last_name="Rédac")
    editor.groups.add(Group.objects.get_or_create(name=ROLE_EDITORS)[0])
    mine = ApplicationFactory(status=S.UNDER_REVIEW)
    review.assign(application_id=mine.pk, to=instructor, by=instructor)
    nobody = ApplicationFactory()
    response = admin_client.get(reverse(URL))
    choices = next(
        f for f in response.context["cl"].filter_specs if getattr(f, "parameter_name", "") == "instructeur"
    ).lookup_choices
    assert ("personne", "Attribué à personne") in choices and (str(instructor.pk), "Inès Truc") in choices
    assert str(editor.pk) not in dict(choices)
    assert references(admin_client, instructeur=instructor.pk) == {mine.reference}
    assert references(admin_client, instructeur="personne") == {nobody.reference}
    for bad in ("x\x00", "١٢", "9" * 30):  # the admin's « ?e=1 », never a 500
        response = admin_client.get(reverse(URL), {"instructeur": bad})
        assert response.status_code == 302 and response["Location"].endswith("?e=1")
    response = admin_client.get(reverse(URL), {"annee": "99999"})
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


def test_the_to_handle_filter_is_kept(admin_client):
    waiting = ApplicationFactory(status=S.SUBMITTED)
    ApplicationFactory(status=S.ACCEPTED)
    assert references(admin_client, a_traiter="personne") == {waiting.reference}


@pytest.mark.parametrize(
    "field, value",
    [("reference", None), ("first_name", "Léontine"), ("last_name", "Zébulon"), ("organisation_name", "Les Lilas"),
     ("title", "Potager suspendu"), ("email", "unique@example.net")],
)  # fmt: skip
def test_the_search_finds_an_application_by(admin_client, field, value):
    target = ApplicationFactory(**({field: value} if value else {}))
    ApplicationFactory()
    term = value or target.reference
    assert references(admin_client, q=term) == {target.reference}


def test_the_amounts_are_written_as_amounts_and_sortable(admin_client):
    ApplicationFactory(status=S.PAID, amount_requested=Decimal("1500.5"))
    ApplicationFactory(amount_requested=Decimal("200"))
    page = admin_client.get(reverse(URL)).content.decode()
    assert "1\xa0500,50 €" in page and "200,00 €" in page and "1500.50" not in page
    for column in ("requested_display", "granted_display", "paid_display"):
        assert f'class="sortable column-{column}' in page
    cl = admin_client.get(reverse(URL), {"o": "7"}).context["cl"]
    assert [a.amount_requested for a in cl.result_list] == [Decimal("200"), Decimal("1500.50")]
    cl = admin_client.get(reverse(URL), {"o": "-9"}).context["cl"]  # the amount paid, descending
    assert [a.amount_paid for a in cl.result_list] == [Decimal("1500.50"), Decimal("0")]
