"""The roles as data: after the migrations, each group holds exactly the permissions of core.roles."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from langres_portal.core import roles
from langres_portal.core.permissions import ROLE_EDITORS, ROLE_INSTRUCTORS, ROLE_PRE, ROLES


def group_codenames(name):
    return {
        (app, codename)
        for app, codename in Group.objects.get(name=name).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


@pytest.mark.django_db
def test_the_data_migration_makes_each_group_with_exactly_the_tables_permissions():
    """The migration's own function, on the historical models (the post_migrate sync cannot hide a broken one)."""
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    migration = importlib.import_module("langres_portal.core.migrations.0010_roles")
    state_apps = MigrationExecutor(connection).loader.project_state(("core", "0010_roles")).apps
    Group.objects.filter(name__in=ROLES).delete()
    migration.create_roles(state_apps, None)
    for role in ROLES:
        assert group_codenames(role) == roles.codenames(role), role


@pytest.mark.django_db
def test_the_migrations_make_each_group_with_exactly_the_tables_permissions():
    assert set(Group.objects.filter(name__in=ROLES).values_list("name", flat=True)) == set(ROLES)
    for role in ROLES:
        assert group_codenames(role) == roles.codenames(role), role


@pytest.mark.django_db
def test_editors_have_no_right_on_applications_committees_pre_requests_outbox_users_or_groups():
    editors = group_codenames(ROLE_EDITORS)
    forbidden_models = {
        ("microprojets", "application"),
        ("microprojets", "committeesession"),
        ("microprojets", "attachment"),
        ("pre", "contactrequest"),
        ("core", "outboxemail"),
        ("auth", "user"),
        ("auth", "group"),
    }
    for app, codename in editors:
        assert (app, codename.split("_", 1)[1]) not in forbidden_models, codename
    assert ("core", "change_page") in editors
    assert ("pre", "change_presettings") in editors
    assert ("microprojets", "add_call") in editors


@pytest.mark.django_db
def test_instructors_see_calls_but_do_not_edit_them():
    instructors = group_codenames(ROLE_INSTRUCTORS)
    assert ("microprojets", "view_call") in instructors
    assert ("microprojets", "change_call") not in instructors
    assert ("microprojets", "change_application") in instructors
    assert ("microprojets", "delete_payment") not in instructors  # a record: never deleted by hand
    assert ("microprojets", "delete_application") not in instructors
    assert ("microprojets", "delete_replytemplate") in instructors
    assert not {codename for app, codename in instructors if app == "pre"}
    assert group_codenames(ROLE_PRE) == {
        ("pre", "view_contactrequest"),
        ("pre", "change_contactrequest"),
        ("pre", "delete_contactrequest"),
    }


@pytest.mark.django_db
def test_sync_roles_puts_back_the_table_and_is_idempotent(capsys):
    editors = Group.objects.get(name=ROLE_EDITORS)
    editors.permissions.add(Permission.objects.get(codename="view_contactrequest"))
    editors.permissions.remove(Permission.objects.get(codename="change_page"))
    Group.objects.get(name=ROLE_INSTRUCTORS).delete()

    call_command("sync_roles")
    out = capsys.readouterr().out
    assert "« Rédaction » : 1 permission(s) ajoutée(s), 1 retirée(s)." in out
    for role in ROLES:
        assert group_codenames(role) == roles.codenames(role), role

    call_command("sync_roles")
    assert capsys.readouterr().out.count(": à jour.") == 3


@pytest.mark.django_db
def test_sync_roles_refuses_an_unknown_model_and_changes_nothing(monkeypatch):
    from django.core.management.base import CommandError

    table = {**roles.ROLE_PERMISSIONS, ROLE_EDITORS: {"core.page": roles.ALL, "core.pagee": roles.VIEW}}
    monkeypatch.setattr(roles, "ROLE_PERMISSIONS", table)
    Group.objects.get(name=ROLE_EDITORS).permissions.clear()
    with pytest.raises(CommandError, match="core.view_pagee"):
        call_command("sync_roles")
    assert not Group.objects.get(name=ROLE_EDITORS).permissions.exists()


@pytest.mark.django_db(transaction=True)  # PostgreSQL cannot TRUNCATE inside the test's transaction
def test_a_flush_between_browser_tests_brings_the_roles_back():
    from django.core.management import call_command as run

    Group.objects.filter(name__in=ROLES).delete()
    run("flush", interactive=False, verbosity=0)
    for role in ROLES:
        assert group_codenames(role) == roles.codenames(role), role


def test_every_model_is_in_a_role_or_technical_or_listed_as_superusers_only():
    """A new model must be given to a role (or said technical): this test fails until it is."""
    from django.apps import apps

    in_roles = {label for table in roles.ROLE_PERMISSIONS.values() for label in table}
    superusers_only = {"core.outboxemail", "microprojets.draft"}
    for model in apps.get_models():
        label = model._meta.label_lower
        app_label, name = label.split(".")
        assert label in in_roles or label in superusers_only or roles.is_technical(app_label, name), label
