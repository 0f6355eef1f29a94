"""Confidentiality: only the group « Coordination PRE » sees the requests, on every admin URL of the model."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from pre.models import ContactRequest
from tests.pre.factories import ContactRequestFactory, coordination_group

pytestmark = pytest.mark.usefixtures("content")

SECRET_MESSAGE = "Mon fils est en CE2 et il a des difficultés à l’école depuis la rentrée."


def admin_urls(request):
    opts = "admin:pre_contactrequest"
    return {
        "changelist": reverse(f"{opts}_changelist"),
        "add": reverse(f"{opts}_add"),
        "change": reverse(f"{opts}_change", args=[request.pk]),
        "delete": reverse(f"{opts}_delete", args=[request.pk]),
        "history": reverse(f"{opts}_history", args=[request.pk]),
    }


@pytest.fixture
def contact_request():
    return ContactRequestFactory(name="Amina Benali", email="amina.benali@example.org")


def test_the_group_is_created_by_a_migration_with_the_request_permissions():
    codenames = set(coordination_group().permissions.values_list("codename", flat=True))
    assert codenames == {"view_contactrequest", "change_contactrequest", "delete_contactrequest"}


@pytest.mark.parametrize("persona", ["superuser", "other_staff", "staff_without_permissions", "inactive_member"])
@pytest.mark.parametrize("url_name", ["changelist", "add", "change", "delete", "history"])
def test_no_one_outside_the_group_opens_any_admin_url(
    client, django_user_model, other_staff, contact_request, persona, url_name
):
    if persona == "superuser":
        user = django_user_model.objects.create_superuser("admin", "admin@example.org", "motdepasse-solide-123")
    elif persona == "other_staff":
        user = other_staff
    elif persona == "staff_without_permissions":
        user = django_user_model.objects.create_user("agent", is_staff=True)
    else:
        user = django_user_model.objects.create_user("ancienne", is_staff=True, is_active=False)
        user.groups.add(coordination_group())
    client.force_login(user)
    url = admin_urls(contact_request)[url_name]
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        expected = 302 if persona == "inactive_member" else 403  # an inactive account goes back to the login
        assert response.status_code == expected, (method, url)
        assert b"Amina" not in response.content and b"difficult" not in response.content
    assert ContactRequest.objects.filter(pk=contact_request.pk).exists()


@pytest.mark.parametrize("persona", ["superuser", "other_staff"])
def test_outsiders_do_not_see_the_model_in_the_admin_index_nor_its_bulk_actions(
    client, django_user_model, other_staff, contact_request, persona
):
    user = (
        django_user_model.objects.create_superuser("admin", "admin@example.org", "motdepasse-solide-123")
        if persona == "superuser"
        else other_staff
    )
    client.force_login(user)
    index = client.get(reverse("admin:index"))
    assertNotContains(index, "Demandes de contact")
    assertContains(index, "Parties de la page")  # the rest of the PRE's admin stays theirs
    response = client.post(
        reverse("admin:pre_contactrequest_changelist"),
        {"action": "delete_selected", "_selected_action": [contact_request.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert ContactRequest.objects.filter(pk=contact_request.pk).exists()


def test_a_superuser_who_joins_the_group_sees_the_requests(client, django_user_model, contact_request):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "motdepasse-solide-123")
    user.groups.add(coordination_group())
    client.force_login(user)
    assertContains(client.get(admin_urls(contact_request)["change"]), "Amina Benali")


@pytest.mark.parametrize("url_name", ["changelist", "change", "delete", "history"])
def test_members_of_the_group_open_every_admin_url(client, coordinator, contact_request, url_name):
    client.force_login(coordinator)
    assert client.get(admin_urls(contact_request)[url_name]).status_code == 200


def test_nobody_adds_a_request_in_the_admin(client, coordinator, contact_request):
    client.force_login(coordinator)
    assert client.get(admin_urls(contact_request)["add"]).status_code == 403


def test_group_permissions_still_apply_inside_the_group(client, coordinator, contact_request):
    group = coordination_group()
    group.permissions.remove(Permission.objects.get(codename="delete_contactrequest"))
    client.force_login(coordinator)
    assert client.get(admin_urls(contact_request)["change"]).status_code == 200
    assert client.get(admin_urls(contact_request)["delete"]).status_code == 403


def test_member_sees_the_list_without_any_message_text(client, coordinator, contact_request):
    client.force_login(coordinator)
    response = client.get(admin_urls(contact_request)["changelist"])
    assertContains(response, "Amina Benali")
    assertNotContains(response, "difficultés")
    assertNotContains(response, "CE2")
    # The message is read on the request's own page only, with links to call or write back.
    change = client.get(admin_urls(contact_request)["change"])
    assertContains(change, "CE2")
    assertContains(change, '<a href="tel:+33612345678">06 12 34 56 78</a>', html=True)
    assertContains(change, '<a href="mailto:amina.benali@example.org">amina.benali@example.org</a>', html=True)


def test_changelist_query_count_does_not_grow(client, coordinator, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ContactRequestFactory.create_batch(2, handled=True, handled_by=coordinator)
    client.force_login(coordinator)
    url = reverse("admin:pre_contactrequest_changelist")
    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    ContactRequestFactory.create_batch(30, handled=True, handled_by=coordinator)
    with django_assert_num_queries(len(small)):
        client.get(url)


def test_the_request_text_kept_in_the_admin_history_is_not_personal(contact_request):
    assert str(contact_request) == f"Demande n° {contact_request.pk}"


def test_member_marks_requests_handled_with_the_action(client, coordinator):
    first, second = ContactRequestFactory.create_batch(2)
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:pre_contactrequest_changelist"),
        {"action": "mark_handled", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    assertContains(response, "2 demande(s) marquée(s) comme traitée(s).")
    assert set(ContactRequest.objects.values_list("handled_by", flat=True)) == {coordinator.pk}
    assert ContactRequest.objects.to_handle().count() == 0
    client.post(
        reverse("admin:pre_contactrequest_changelist"),
        {"action": "mark_to_handle", "_selected_action": [first.pk]},
    )
    first.refresh_from_db()
    assert first.handled_at is None and first.handled_by is None


def test_member_marks_a_request_handled_in_its_form_and_cannot_edit_what_the_person_wrote(
    client, coordinator, contact_request
):
    client.force_login(coordinator)
    url = admin_urls(contact_request)["change"]
    before = timezone.now()
    response = client.post(url, {"handled": "on", "name": "Autre nom", "message": "changé"})
    assert response.status_code == 302
    contact_request.refresh_from_db()
    assert contact_request.handled_at >= before and contact_request.handled_by == coordinator
    assert contact_request.name == "Amina Benali" and contact_request.message == SECRET_MESSAGE
    client.post(url, {})
    contact_request.refresh_from_db()
    assert contact_request.handled_at is None


def test_filter_by_state(client, coordinator):
    ContactRequestFactory(name="Déjà Rappelée", handled=True)
    ContactRequestFactory(name="Encore Attendue")
    client.force_login(coordinator)
    response = client.get(reverse("admin:pre_contactrequest_changelist") + "?etat=a-traiter")
    assertContains(response, "Encore Attendue")
    assertNotContains(response, "Déjà Rappelée")


@pytest.mark.parametrize("model", ["section", "faqentry", "teammember", "presettings"])
def test_content_admin_pages_open_for_staff(admin_client, model):
    from django.apps import apps

    obj = apps.get_model("pre", model).objects.first()
    assert admin_client.get(reverse(f"admin:pre_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:pre_{model}_change", args=[obj.pk])).status_code == 200
    add = admin_client.get(reverse(f"admin:pre_{model}_add")).status_code
    assert add == (403 if model == "presettings" else 200)  # the settings are a single row


def test_coordinator_address_is_edited_in_the_admin(admin_client):
    from pre.models import PreSettings

    settings_row = PreSettings.objects.get()
    data = {f.name: getattr(settings_row, f.name) for f in PreSettings._meta.fields if f.editable and f.name != "id"}
    data["coordinator_email"] = "nouvelle.coordinatrice@example.org"
    response = admin_client.post(reverse("admin:pre_presettings_change", args=[settings_row.pk]), data)
    assert response.status_code == 302
    assert PreSettings.objects.get().coordinator_email == "nouvelle.coordinatrice@example.org"
