from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "langres_portal.core"
    label = "core"
    verbose_name = "Site et service"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import roles

        post_migrate.connect(roles.sync_after_migrate, sender=self, dispatch_uid="core_sync_roles")
        from . import (
            checks,  # noqa: F401  (registers the system checks)
            staff_auth,  # noqa: F401  (logs failed logins, stamps the login time)
        )
