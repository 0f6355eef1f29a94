from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "langres_portal.core"
    label = "core"
    verbose_name = "Site et service"

    def ready(self):
        from . import (
            checks,  # noqa: F401  (registers the system checks)
            staff_auth,  # noqa: F401  (logs failed logins, stamps the login time)
        )
