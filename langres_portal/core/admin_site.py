"""The one back-office, named after the site identity: staff read « Ville de … — Service … » on every admin page,
and a second commune's database shows its own name without a line of code."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class PortalAdminSite(admin.AdminSite):
    site_header = site_title = "Administration du portail"  # before the identity is loaded
    index_title = "Contenus et dossiers"

    def each_context(self, request):
        from .models import SiteIdentity  # the models are not ready when the site is built

        context = super().each_context(request)
        identity = SiteIdentity.current()
        if identity.commune_name and identity.service_name:
            context["site_header"] = f"{identity.commune_name} — {identity.service_name}"
            context["site_title"] = f"Administration — {identity.service_name}"
        return context


class PortalAdminConfig(AdminConfig):
    default_site = "langres_portal.core.admin_site.PortalAdminSite"
