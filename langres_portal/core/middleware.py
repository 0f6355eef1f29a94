"""Response headers that Django's SecurityMiddleware does not set; the CSP's admin nonce; the sanitiser's
report on admin saves."""

import csp.middleware
from csp.constants import NONCE
from django.conf import settings
from django.contrib import messages
from django.utils.text import capfirst

from . import fields


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
        )
        return response


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's policy, with the request's nonce added to script-src on an admin page whose form media
    rendered an import map with it (templatetags.admin_media). Every other page keeps script-src 'self'."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if getattr(request, "csp_importmap_nonce", False) and request.path_info.startswith(f"/{settings.ADMIN_URL}"):
            parts.update = {**(parts.update or {}), "script-src": [NONCE]}
        return parts


class SanitizerReportMiddleware:
    """On an admin request, collects what the sanitiser removed from the rich texts the request saved
    (core.fields.RichTextField.pre_save) and says it in a warning message, next to the save's own message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(f"/{settings.ADMIN_URL}") or request.method != "POST":
            return self.get_response(request)
        reports = []
        token = fields.sanitizer_reports.set(reports)
        try:
            response = self.get_response(request)
        finally:
            fields.sanitizer_reports.reset(token)
        for label, report in reports:
            messages.warning(request, f"Le texte « {capfirst(label)} » a été nettoyé : {report.describe()}.")
        return response
