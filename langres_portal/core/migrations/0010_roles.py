"""The three roles (groups) with their permissions, from the one table in core.roles (issue 11, item 1).

It depends on the latest migration of every app, so that every model's permissions can be created first."""

from django.db import migrations

from langres_portal.core import roles


def create_roles(apps, schema_editor):
    roles.create_all_permissions(apps)
    roles.sync_roles(apps)


def delete_roles(apps, schema_editor):
    # « Coordination PRE » is older (pre 0002): only the two groups made here are removed.
    names = [roles.ROLE_EDITORS, roles.ROLE_INSTRUCTORS]
    apps.get_model("auth", "Group").objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0009_merge_home_glossary"),
        ("quartiers", "0004_merge_generic_texts"),
        ("contrat_ville", "0007_merge_source_application"),
        ("pre", "0004_merge_generic_texts"),
        ("microprojets", "0009_merge_followup"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
