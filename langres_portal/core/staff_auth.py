"""The staff's door to the admin: lockout after failed logins (django-axes), session limits, the second factor
(django-otp), password reset through the outbox, and a log of failures that never holds a password."""

import logging
import time

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import user_has_device

from . import ratelimit
from .emails import queue_email

logger = logging.getLogger("langres_portal.security")

LOGIN_AT = "staff_login_at"
LAST_SEEN = "staff_last_seen"


def client_ip(request) -> str:
    """The client's address, from the header the reverse proxy sets (DJANGO_CLIENT_IP_HEADER), as the public
    forms' rate limit reads it; axes counts failures per address with it."""
    return ratelimit.client_ip(request)


def admin_prefix() -> str:
    return reverse("admin:index")


def in_admin(request) -> bool:
    return request.path.startswith(admin_prefix())


# --- Lockout and the failures' log ---------------------------------------------------------------------------------


def lockout_response(request, original_response=None, credentials=None):
    """Axes' answer to a locked-out attempt: a French page on the admin's layout, status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        **admin.site.each_context(request),
        "title": "Connexion temporairement bloquée",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": minutes,
        "password_reset_url": reverse("admin_password_reset"),
    }
    return render(request, "admin/lockout.html", context, status=429)


@receiver(user_login_failed, dispatch_uid="langres_log_failed_login")
def log_failed_login(sender, credentials, request=None, **kwargs):
    # Django masks the password in `credentials`; only the username is read here, never the rest.
    username = str(credentials.get("username", ""))[:150]
    address = client_ip(request) if request is not None else "-"
    logger.warning("Failed login for username %r from %s", username, address)


@receiver(user_logged_in, dispatch_uid="langres_session_login_time")
def remember_login_time(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[LOGIN_AT] = now
        request.session[LAST_SEEN] = now


# --- Session limits ------------------------------------------------------------------------------------------------


class StaffSessionMiddleware:
    """Logs out a session idle for STAFF_SESSION_IDLE_MINUTES, or open for STAFF_SESSION_MAX_HOURS in all.

    Only authenticated sessions are touched (and so saved at each request); visitors keep no session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            expired = self.expired(request.session)
            if expired:
                logout(request)
                messages.warning(request, expired)
                if in_admin(request):
                    return redirect_to_admin_login(request)
        return self.get_response(request)

    @staticmethod
    def expired(session) -> str:
        now = time.time()
        login_at = session.setdefault(LOGIN_AT, now)
        last_seen = session.get(LAST_SEEN, now)
        session[LAST_SEEN] = now
        if now - login_at > settings.STAFF_SESSION_MAX_HOURS * 3600:
            return (
                f"Votre session a expiré : elle dure au plus {settings.STAFF_SESSION_MAX_HOURS} heures. "
                "Reconnectez-vous pour continuer."
            )
        if now - last_seen > settings.STAFF_SESSION_IDLE_MINUTES * 60:
            return (
                f"Votre session a expiré après {settings.STAFF_SESSION_IDLE_MINUTES} minutes sans activité. "
                "Reconnectez-vous pour continuer."
            )
        return ""


def redirect_to_admin_login(request):
    target = request.get_full_path() if request.method == "GET" else admin_prefix()
    return redirect(f"{reverse('admin:login')}?next={target}")


# --- Second factor -------------------------------------------------------------------------------------------------

# Admin URL names an unverified staff member may open: the second factor itself, leaving, a forgotten password.
OPEN_BEFORE_SECOND_FACTOR = {
    "admin:login",
    "admin:logout",
    "admin:jsi18n",
    "staff_2fa_verify",
    "staff_2fa_enrol",
    "staff_2fa_recovery_codes",
    "admin_password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def second_factor_required(user) -> bool:
    return settings.STAFF_2FA_REQUIRED and user.is_authenticated and user.is_staff


def needs_second_factor(request) -> bool:
    return second_factor_required(request.user) and not request.user.is_verified()


class StaffTwoFactorMiddleware:
    """With STAFF_2FA_REQUIRED, a staff member who gave only a password goes to the second factor (or, having no
    device yet, to its enrolment) before any other admin page; elsewhere on the site they count as a visitor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not needs_second_factor(request):
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if in_admin(request):
            target = "staff_2fa_verify" if user_has_device(request.user) else "staff_2fa_enrol"
            url = reverse(target)
            if request.method == "GET":
                url += "?" + urlencode({"next": request.get_full_path()})
            return redirect(url)
        # Public pages: drafts and staff shortcuts stay hidden until the second factor is given.
        request.user = AnonymousUser()
        return None


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


# --- Password reset through the outbox -----------------------------------------------------------------------------

RESET_EMAIL_KEY = "agent-mot-de-passe-oublie"


class StaffPasswordResetForm(PasswordResetForm):
    """Django's reset form, for staff accounts only, whose e-mail goes through the outbox (staff-edited words).

    The page after it reads the same whether the address is known or not: nothing tells an account exists.
    """

    def get_users(self, email):
        return (user for user in super().get_users(email) if user.is_staff)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        path = reverse("password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        reset_url = f"{context['protocol']}://{context['domain']}{path}"
        user = context["user"]
        queue_email(
            key=RESET_EMAIL_KEY,
            to=[to_email],
            context={"reset_url": reset_url, "username": user.get_username(), "name": user.get_short_name()},
        )
