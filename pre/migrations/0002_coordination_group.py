"""The group « Coordination PRE »: the only people who can read the requests to be called back."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Coordination PRE"
CODENAMES = ["view_contactrequest", "change_contactrequest", "delete_contactrequest"]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate): create those of this app now.
    app_config = apps.get_app_config("pre")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="pre", codename__in=CODENAMES)
    )


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pre", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
