"""The staff's second factor inside the admin: enrolment (QR code drawn on the server as SVG, secret as text),
verification with a TOTP code or a single-use recovery code, new recovery codes; and the password reset.

Built on django-otp rather than django-two-factor-auth: the latter brings its own layout, django-formtools and
phone-number dependencies, and a QR code served as an image, while these few views keep the admin's layout
and its strict CSP (no inline script, no data: image) with less code to trust.
"""

import math
import re
from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import ratelimit
from .staff_auth import StaffPasswordResetForm, logger, safe_next

RECOVERY_CODES_COUNT = 10
SESSION_CODES = "staff_recovery_codes"
TOTP_NAME = "Application d’authentification"
STATIC_NAME = "Codes de secours"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="Les 6 chiffres affichés par votre application, ou l’un de vos codes de secours.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )

    def clean_code(self):
        return re.sub(r"[\s-]", "", self.cleaned_data["code"]).lower()


def staff_view(view):
    """A view of the second factor: for staff signed in with their password, never cached."""

    def wrapper(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_active and request.user.is_staff):
            return redirect(f"{reverse('admin:login')}?{urlencode({'next': request.path})}")
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return never_cache(sensitive_post_parameters("code")(wrapper))


def page(request, template, title, **context):
    return render(
        request,
        template,
        {**admin.site.each_context(request), "title": title, "is_nav_sidebar_enabled": False, **context},
    )


def throttle_wait(device) -> int:
    """Seconds before `device` takes another code: each refused code doubles the wait (django-otp)."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return 0
    until = (details or {}).get("locked_until")
    return max(1, math.ceil((until - timezone.now()).total_seconds())) if until else 1


def wait_message(wait: int) -> str:
    return (
        f"Trop de codes refusés de suite : attendez {wait} seconde{'s' if wait > 1 else ''}, puis saisissez le "
        "code affiché à ce moment par votre application."
    )


def verify_code(user, code: str):
    """(the confirmed device that accepts `code` or None, seconds to wait before the next try or 0).

    Six digits go to the TOTP application, anything else to the recovery codes, so a recovery code typed never
    slows down the application's next code. Each refused code doubles the wait before the next (django-otp).
    """
    kind = TOTPDevice if re.fullmatch(r"\d{6}", code) else StaticDevice
    wait = 0
    for device in devices_for_user(user, for_verify=True):
        if not isinstance(device, kind):
            continue
        device_wait = throttle_wait(device)
        if device_wait:
            wait = max(wait, device_wait)
            continue
        if device.verify_token(code):
            return device, 0
    return None, wait


@staff_view
def verify(request):
    """The second step of the login: the code of the application, or a recovery code."""
    if not user_has_device(request.user):
        return redirect("staff_2fa_enrol")
    next_url = safe_next(request, reverse("admin:index"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            device, wait = verify_code(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    f"Vous avez utilisé un code de secours : il vous en reste {left}. "
                    f"Créez-en de nouveaux dès que possible à l’adresse {reverse('staff_2fa_recovery_codes')}.",
                )
            return redirect(next_url)
        logger.warning("Failed second factor for username %r", request.user.get_username())
        if wait:
            form.add_error("code", wait_message(wait))
        else:
            form.add_error(
                "code",
                "Code incorrect, expiré ou déjà utilisé. Saisissez le code affiché maintenant par votre application "
                "(attendez le suivant si vous venez d’en utiliser un), ou l’un de vos codes de secours.",
            )
    return page(request, "admin/staff_auth/verify.html", "Deuxième facteur", form=form, next=next_url)


def pending_device(user) -> TOTPDevice:
    """The application being enrolled: one unconfirmed device per staff member, kept until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def new_recovery_codes(user) -> list[str]:
    """Replace the staff member's recovery codes with new ones; each works once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=STATIC_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@staff_view
def enrol(request):
    """Pair an authentication application: scan the QR code (or type the secret), then type one code."""
    if user_has_device(request.user):
        return redirect("staff_2fa_verify")
    next_url = safe_next(request, reverse("admin:index"))
    device = pending_device(request.user)
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = "Les 6 chiffres affichés maintenant par votre application."
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
            wait = throttle_wait(device)
            if not wait and device.verify_token(form.cleaned_data["code"]):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = new_recovery_codes(request.user)
            else:
                codes = None
        if codes is not None:
            otp_login(request, device)
            request.session[SESSION_CODES] = codes
            messages.success(
                request, "Votre application est enregistrée : elle vous sera demandée à chaque connexion."
            )
            return redirect(f"{reverse('staff_2fa_recovery_codes')}?next={next_url}")
        if wait:
            form.add_error("code", wait_message(wait))
        else:
            form.add_error(
                "code",
                "Ce code ne correspond pas. Vérifiez que l’heure de votre téléphone est juste, puis saisissez le code "
                "affiché maintenant par l’application.",
            )
    secret = b32encode(device.bin_key).decode()
    return page(
        request,
        "admin/staff_auth/enrol.html",
        "Activer le deuxième facteur",
        form=form,
        next=next_url,
        qr_svg=segno.make(device.config_url, error="m").svg_inline(scale=4, border=4, title="QR code à scanner"),
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    )


@staff_view
def recovery_codes(request):
    """The recovery codes, shown once right after they are made; a verified staff member may make new ones."""
    if settings.STAFF_2FA_REQUIRED and not request.user.is_verified():
        return redirect("staff_2fa_verify")
    if request.method == "POST":
        if not request.user.is_verified():
            messages.error(request, "Activez d’abord le deuxième facteur.")
            return redirect("staff_2fa_enrol")
        request.session[SESSION_CODES] = new_recovery_codes(request.user)
        messages.success(request, "Vos anciens codes de secours ne fonctionnent plus.")
        return redirect("staff_2fa_recovery_codes")
    codes = request.session.pop(SESSION_CODES, None)
    return page(
        request,
        "admin/staff_auth/recovery_codes.html",
        "Codes de secours",
        codes=codes,
        next=safe_next(request, reverse("admin:index")),
        can_renew=request.user.is_verified(),
    )


# --- Password reset ------------------------------------------------------------------------------------------------

RESET_LIMIT_PER_HOUR = 5


class AdminLayoutMixin:
    """Django's auth views on the admin's layout: its header, title and colours."""

    def get_context_data(self, **kwargs):
        return {
            **admin.site.each_context(self.request),
            "is_nav_sidebar_enabled": False,
            **super().get_context_data(**kwargs),
        }


class PasswordResetView(AdminLayoutMixin, auth_views.PasswordResetView):
    """Django's reset page with the staff form (e-mail through the outbox) and a cap per client and hour: the
    page after it is the same whatever happens, so neither the cap nor an unknown address shows."""

    form_class = StaffPasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        if not ratelimit.allow(self.request, "password-reset", RESET_LIMIT_PER_HOUR):
            logger.warning("Password reset refused: too many requests from %s", ratelimit.client_ip(self.request))
            return redirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(AdminLayoutMixin, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(AdminLayoutMixin, auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(AdminLayoutMixin, auth_views.PasswordResetCompleteView):
    pass
