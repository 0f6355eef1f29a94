"""Users and groups: superusers only; nobody changes their own roles or flags; the pickers hide technical rights."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from langres_portal.core.permissions import ROLE_EDITORS, ROLE_INSTRUCTORS, ROLE_PRE

PASSWORD = "motdepasse-solide-123"


@pytest.fixture
def boss(django_user_model):
    return django_user_model.objects.create_superuser("chef", "chef@example.org", PASSWORD)


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("redac", "redac@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=ROLE_EDITORS))
    return user


def user_form(user, **overrides):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "date_joined_0": "01/01/2026",
        "date_joined_1": "10:00:00",
        "initial-date_joined_0": "01/01/2026",
        "initial-date_joined_1": "10:00:00",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("role", [ROLE_EDITORS, ROLE_INSTRUCTORS, ROLE_PRE])
@pytest.mark.django_db
def test_staff_of_every_role_get_403_on_users_and_groups(client, django_user_model, role):
    user = django_user_model.objects.create_user("agent", "a@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="auth"))  # given by mistake
    client.force_login(user)
    group = Group.objects.get(name=role)
    for url in [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_user_change", args=[user.pk]),
        reverse("admin:auth_user_password_change", args=[user.pk]),
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_group_change", args=[group.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("admin:auth_user_change", args=[user.pk]), user_form(user, is_superuser="on"))
    assert response.status_code == 403
    user.refresh_from_db()
    assert not user.is_superuser
    assertNotContains(client.get(reverse("admin:index")), "/auth/user/")


@pytest.mark.django_db
def test_a_superuser_gives_another_member_of_staff_a_role(client, boss, editor):
    client.force_login(boss)
    url = reverse("admin:auth_user_change", args=[editor.pk])
    response = client.get(url)
    assertContains(response, "Le rôle donne les droits de l’agent")
    pre = Group.objects.get(name=ROLE_PRE)
    response = client.post(url, user_form(editor, groups=[pre.pk]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(editor.groups.values_list("name", flat=True)) == [ROLE_PRE]


@pytest.mark.django_db
def test_a_superuser_cannot_change_their_own_roles_or_flags(client, boss):
    client.force_login(boss)
    url = reverse("admin:auth_user_change", args=[boss.pk])
    response = client.get(url)
    assertContains(response, "Vous ne pouvez pas modifier vos propres rôles")
    assertNotContains(response, 'name="groups"')
    assertNotContains(response, 'name="is_superuser"')
    pre = Group.objects.get(name=ROLE_PRE)
    response = client.post(url, user_form(boss, first_name="Camille", groups=[pre.pk], is_staff=None, is_active=None))
    assert response.status_code == 302
    boss.refresh_from_db()
    assert boss.first_name == "Camille"  # the rest of the record stays editable
    assert (boss.is_superuser, boss.is_staff, boss.is_active) == (True, True, True)
    assert not boss.groups.exists()
    assert client.get(reverse("admin:auth_user_delete", args=[boss.pk])).status_code == 403


@pytest.mark.django_db
def test_the_permission_picker_hides_technical_permissions_and_speaks_french(client, boss):
    client.force_login(boss)
    group = Group.objects.get(name=ROLE_EDITORS)
    response = client.get(reverse("admin:auth_group_change", args=[group.pk]))
    field = response.context["adminform"].form.fields["permissions"]
    labels = [label for _, label in field.choices]
    codenames = set(field.queryset.values_list("codename", flat=True))
    for technical in ["add_logentry", "change_contenttype", "view_session", "add_permission", "view_user"]:
        assert technical not in codenames
    assert not {c for c in codenames if "accessattempt" in c or "ratelimitcounter" in c or "historical" in c}
    assert "change_page" in codenames and "view_outboxemail" in codenames
    page = field.queryset.get(codename="change_page")
    assert field.label_from_instance(page) == "Site et service — page ou texte : modifier"
    assert not [label for label in labels if str(label).startswith("Can ")]
    assertContains(response, "Site et service — page ou texte : modifier")
    assertNotContains(response, "Can change")
