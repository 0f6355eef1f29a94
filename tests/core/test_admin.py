"""Every admin page of every model opens for a superuser: changelist, add form, change form."""

import pytest
from django.contrib import admin
from django.urls import reverse
from pytest_django.asserts import assertContains

pytestmark = pytest.mark.usefixtures("content")

# The add pages no one may open, even a superuser, and why (each ModelAdmin says so in has_add_permission).
NO_ADD_PAGE = {
    "axes.AccessAttempt": "written by the login page",
    "axes.AccessFailureLog": "written by the login page",
    "axes.AccessLog": "written by the login page",
    "core.EmailTemplate": "created by the code that sends them",
    "core.StaffAuthenticator": "each agent enrols at the first login",
    "core.StaffRecoveryCodes": "each agent enrols at the first login",
    "core.OutboxEmail": "written by the site only",
    "core.SiteIdentity": "a single row, already there",
    "microprojets.Application": "applications come from the public form",
    "microprojets.EligibilityMessage": "the cases are fixed",
    "microprojets.Reminder": "written by send_reminders",
    "pre.ContactRequest": "requests come from the public form",
    "pre.PreSettings": "a single row, already there",
}


def registered_models():
    return sorted(admin.site._registry, key=lambda m: m._meta.label)


def a_row_of(model):
    """A row of the model, made when the initial content has none, so that its change page is opened too."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import User
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from langres_portal.core.models import OutboxEmail
    from microprojets.models import Reminder
    from tests.contrat_ville.factories import ProjectFactory
    from tests.microprojets.factories import ApplicationFactory, CallFactory, CommitteeSessionFactory
    from tests.pre.factories import ContactRequestFactory
    from tests.quartiers.factories import StreetFactory

    login = {"username": "agent", "ip_address": "203.0.113.7", "user_agent": "Firefox", "path_info": "/admin/login/"}
    makers = {
        "axes.AccessAttempt": lambda: AccessAttempt.objects.create(**login, failures_since_start=1),
        "axes.AccessFailureLog": lambda: AccessFailureLog.objects.create(**login),
        "axes.AccessLog": lambda: AccessLog.objects.create(**login),
        "core.StaffRecoveryCodes": lambda: StaticDevice.objects.create(user=User.objects.first(), name="secours"),
        "core.StaffAuthenticator": lambda: TOTPDevice.objects.create(user=User.objects.first(), name="téléphone"),
        "contrat_ville.Project": ProjectFactory,
        "core.OutboxEmail": lambda: OutboxEmail.objects.create(
            to=["agent@example.org"], subject="Sujet", body_text="Texte", body_html="<p>Texte</p>"
        ),
        "microprojets.Application": ApplicationFactory,
        "microprojets.Call": CallFactory,
        "microprojets.CommitteeSession": CommitteeSessionFactory,
        "microprojets.Reminder": lambda: Reminder.objects.create(
            kind=Reminder.Kind.REPORT_DUE, application=ApplicationFactory(), occasion=1
        ),
        "pre.ContactRequest": ContactRequestFactory,
        "quartiers.Street": StreetFactory,
    }
    obj = model._default_manager.first()
    if obj is None and model._meta.label in makers:
        obj = makers[model._meta.label]()
    return obj


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_admin_pages_open_for_a_superuser(admin_client, admin_user, model):
    from tests.pre.factories import coordination_group

    admin_user.groups.add(coordination_group())  # the PRE's requests are reserved to its group, superusers too
    opts = model._meta
    assert admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    add = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code == (403 if opts.label in NO_ADD_PAGE else 200)
    obj = a_row_of(model)
    assert obj is not None, f"Aucune ligne de {opts.label} : sa page de modification n’est pas essayée"
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    assert admin_client.get(url).status_code == 200


def test_a_superuser_outside_the_pre_group_cannot_read_its_requests(admin_client):
    assert admin_client.get(reverse("admin:pre_contactrequest_changelist")).status_code == 403


@pytest.mark.django_db
def test_site_identity_is_added_only_with_the_permission_and_never_deleted(client, django_user_model):
    from django.contrib.auth.models import Permission

    from langres_portal.core.models import SiteIdentity

    SiteIdentity.objects.all().delete()
    staff = django_user_model.objects.create_user("agent", password="x", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_siteidentity"))
    client.force_login(staff)
    add_url = reverse("admin:core_siteidentity_add")
    assert client.get(add_url).status_code == 403  # no add permission: no new identity, even when none exists
    staff.user_permissions.add(Permission.objects.get(codename="add_siteidentity"))
    assert client.get(add_url).status_code == 200
    SiteIdentity.objects.create(
        commune_name="Ville", service_name="Service", address="1 rue", postcode="00000", city="Ville",
        phone="03 25 00 00 00", email="service@example.org",
    )  # fmt: skip
    assert client.get(add_url).status_code == 403  # one row only


@pytest.mark.django_db
def test_only_a_superuser_sees_and_removes_an_agents_second_factor(client, admin_client, django_user_model):
    from django.contrib.auth.models import Permission
    from django_otp.plugins.otp_totp.models import TOTPDevice

    agent = django_user_model.objects.create_user("agent", password="x", is_staff=True)
    agent.user_permissions.set(Permission.objects.all())  # every permission, still not a superuser
    device = TOTPDevice.objects.create(user=agent, name="téléphone")
    client.force_login(agent)
    for name, args in [("changelist", []), ("change", [device.pk]), ("delete", [device.pk])]:
        assert client.get(reverse(f"admin:core_staffauthenticator_{name}", args=args)).status_code == 403
    page = admin_client.get(reverse("admin:core_staffauthenticator_changelist"))
    assertContains(page, "applications d’authentification des agents")
    admin_client.post(reverse("admin:core_staffauthenticator_delete", args=[device.pk]), {"post": "yes"})
    assert not TOTPDevice.objects.exists()  # the agent enrols again at the next login
