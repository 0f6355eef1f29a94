"""The staff's login: lockout after failures (django-axes), the failures' log, password reset through the outbox,
session limits, the second factor (django-otp), the admin's configurable path and its French 403."""

import importlib
import ipaddress
import logging
import re
from base64 import b32decode
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import clear_url_caches, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from langres_portal.core.models import OutboxEmail

PASSWORD = "motdepasse-solide-123"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def agent(django_user_model):
    return django_user_model.objects.create_user(
        "agent", "agent@example.org", PASSWORD, is_staff=True, first_name="Claire"
    )


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def login(client, username="agent", password=PASSWORD, ip="10.0.0.1", **headers):
    data = {"username": username, "password": password, "next": reverse("admin:index")}
    return client.post(reverse("admin:login"), data, REMOTE_ADDR=ip, **headers)


def logged_in(client):
    return client.get(reverse("admin:index")).status_code == 200


# --- Lockout -------------------------------------------------------------------------------------------------------


def test_five_failures_for_a_username_lock_it_even_with_the_right_password(client, agent, clock):
    # The fifth failure already answers with the lockout page.
    statuses = [login(client, password="mauvais", ip=f"10.0.0.{i + 1}").status_code for i in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    response = login(client, ip="10.9.9.9")
    assert response.status_code == 429
    assertContains(response, "Connexion temporairement bloquée", status_code=429)
    assertContains(response, "même avec le bon mot de passe", status_code=429)
    assertContains(response, "15 minutes", status_code=429)
    assert not logged_in(client)

    clock.shift(timedelta(minutes=14))
    assert login(client, ip="10.9.9.9").status_code == 429
    clock.shift(timedelta(minutes=2))  # 16 minutes after the fifth failure: the refused try did not extend it
    assertRedirects(login(client, ip="10.9.9.9"), reverse("admin:index"))


def test_four_failures_do_not_lock(client, agent, clock):
    for _ in range(4):
        login(client, password="mauvais")
    assertRedirects(login(client), reverse("admin:index"))


def test_failures_older_than_fifteen_minutes_no_longer_count(client, agent, clock):
    for _ in range(4):
        login(client, password="mauvais")
    clock.shift(timedelta(minutes=16))
    login(client, password="mauvais")
    assertRedirects(login(client), reverse("admin:index"))


def test_five_failures_from_one_address_lock_every_username_from_it(client, agent, clock):
    for i in range(5):
        login(client, username=f"inconnu{i}", password="mauvais", ip="192.0.2.10")
    assert login(client, ip="192.0.2.10").status_code == 429
    assert not logged_in(client)
    # The same account from another address is not locked: only the address is.
    assertRedirects(login(client, ip="192.0.2.11"), reverse("admin:index"))


def test_address_comes_from_the_proxy_header_of_the_setting(client, agent, clock, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for i in range(5):
        login(client, username=f"inconnu{i}", password="mauvais", ip="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    assert login(client, ip="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7").status_code == 429
    # Another client behind the same proxy is not locked out.
    assertRedirects(login(client, ip="127.0.0.1", HTTP_X_REAL_IP="203.0.113.8"), reverse("admin:index"))


def test_a_forwarded_list_counts_the_address_our_proxy_wrote(client, agent, clock, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    for i in range(5):
        # The client forges the first addresses; the last one is written by our proxy.
        login(client, username=f"x{i}", password="mauvais", HTTP_X_FORWARDED_FOR=f"1.2.3.{i}, 198.51.100.4")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.4"}
    assert login(client, HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.4").status_code == 429


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.text(max_size=60))
def test_any_proxy_header_value_gives_an_address_never_an_error(rf, settings, header):
    from langres_portal.core.staff_auth import client_ip

    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_REAL_IP=header)
    address = client_ip(request)
    assert address == "10.1.1.1" or ipaddress.ip_address(address) == ipaddress.ip_address(
        header.split(",")[-1].strip()
    )


def test_failed_login_is_logged_with_the_username_never_the_password(client, agent, caplog):
    secret = "Mon-Secret-De-Test-9f3e"
    with caplog.at_level(logging.DEBUG):
        login(client, password=secret, ip="192.0.2.50")
    ours = [r.getMessage() for r in caplog.records if r.name == "langres_portal.security"]
    assert ours and "'agent'" in ours[0] and "192.0.2.50" in ours[0]
    everything = caplog.text + " ".join(r.getMessage() for r in caplog.records)
    assert secret not in everything


def test_superusers_see_the_attempts_and_failures_in_french(client, agent, admin_client, clock):
    login(client, password="mauvais")
    assert AccessFailureLog.objects.count() == 1
    for url_name, heading in [
        ("admin:axes_accessattempt_changelist", "tentative de connexion"),
        ("admin:axes_accessfailurelog_changelist", "échec de connexion"),
        ("admin:axes_accesslog_changelist", "connexion"),
    ]:
        assertContains(admin_client.get(reverse(url_name)), heading)


def test_staff_without_superuser_rights_cannot_read_the_journal(client, agent):
    client.force_login(agent)
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assertContains(response, "réservée aux administrateurs", status_code=403)


def test_login_journal_is_purged_after_its_retention(client, agent, clock, settings):
    login(client, password="mauvais")
    login(client)
    assert AccessLog.objects.exists() and AccessFailureLog.objects.exists()
    clock.shift(timedelta(days=settings.LOGIN_LOG_RETENTION_DAYS + 1))
    call_command("purge_personal_data", verbosity=0)
    assert not AccessLog.objects.exists() and not AccessFailureLog.objects.exists()
    assert not AccessAttempt.objects.exists()


# --- Password reset ------------------------------------------------------------------------------------------------


def request_reset(client, email, ip="10.0.0.1"):
    return client.post(reverse("admin_password_reset"), {"email": email}, REMOTE_ADDR=ip)


@pytest.mark.django_db  # the admin's title comes from the site identity
def test_login_page_links_to_the_reset_in_french(client):
    response = client.get(reverse("admin:login"))
    assertContains(response, f'<a href="{reverse("admin_password_reset")}">Mot de passe oublié ?</a>', html=True)
    assertContains(response, "<h1>Connexion des agents</h1>", html=True)


@pytest.mark.usefixtures("content")
def test_reset_queues_a_french_email_in_the_outbox_and_the_link_sets_a_new_password(client, agent):
    assertContains(client.get(reverse("admin_password_reset")), "Mot de passe oublié")
    response = request_reset(client, "AGENT@example.org")
    assertRedirects(response, reverse("password_reset_done"))
    mail = OutboxEmail.objects.get()
    assert mail.to == ["agent@example.org"]
    assert "Bonjour Claire" in mail.body_text and "(agent)" in mail.body_text
    link = re.search(r"http://testserver(/\S+)", mail.body_text).group(1)

    response = client.get(link, follow=True)
    assertContains(response, "Nouveau mot de passe")
    new_password = "un-tout-nouveau-mot-2026"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assertRedirects(response, reverse("password_reset_complete"))
    assertRedirects(login(client, password=new_password), reverse("admin:index"))


@pytest.mark.usefixtures("content")
def test_reset_reveals_nothing_about_unknown_or_non_staff_addresses(client, agent, django_user_model):
    django_user_model.objects.create_user("habitant", "habitant@example.org", PASSWORD)  # not staff
    known = request_reset(client, "agent@example.org", ip="10.0.0.2")
    for address in ["personne@example.org", "habitant@example.org"]:
        response = request_reset(client, address, ip="10.0.0.3")
        assert response.status_code == known.status_code and response["Location"] == known["Location"]
    assert list(OutboxEmail.objects.values_list("to", flat=True)) == [["agent@example.org"]]
    assertContains(client.get(reverse("password_reset_done")), "Si cette adresse est celle d’un compte d’agent")


@pytest.mark.usefixtures("content")
def test_reset_requests_are_capped_per_client_and_hour_without_saying_so(client, agent):
    responses = [request_reset(client, "agent@example.org", ip="10.0.0.4") for _ in range(7)]
    assert {r["Location"] for r in responses} == {reverse("password_reset_done")}
    assert OutboxEmail.objects.count() == 5


# --- Sessions ------------------------------------------------------------------------------------------------------


def test_session_cookie_ends_with_the_browser(client, agent, settings):
    response = login(client)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""


def test_thirty_minutes_without_a_request_log_out(client, agent, clock):
    login(client)
    clock.shift(timedelta(minutes=29))
    assert logged_in(client)
    clock.shift(timedelta(minutes=29))  # 58 minutes since login, 29 since the last request
    assert logged_in(client)
    clock.shift(timedelta(minutes=31))
    response = client.get(reverse("admin:index"))
    assertRedirects(response, f"{reverse('admin:login')}?next={reverse('admin:index')}", fetch_redirect_response=False)
    assertContains(client.get(response["Location"]), "30 minutes sans activité")
    assert not logged_in(client)


def test_twelve_hours_after_the_login_the_session_ends_however_active(client, agent, clock):
    login(client)
    for _ in range(12 * 3):  # a request every 20 minutes for 12 hours
        assert logged_in(client)
        clock.shift(timedelta(minutes=20))
    clock.shift(timedelta(minutes=1))
    response = client.get(reverse("admin:index"), follow=True)
    assertContains(response, "elle dure au plus 12 heures")
    assert not logged_in(client)


# --- Second factor -------------------------------------------------------------------------------------------------


@pytest.fixture
def two_factor(settings):
    settings.STAFF_2FA_REQUIRED = True


def code(device, at=None):
    at = at or datetime.now(UTC)
    with time_machine.travel(at, tick=False):
        return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enrol(client):
    """Enrol from the enrolment page, as a person would: read the secret, type the current code."""
    response = client.get(reverse("staff_2fa_enrol"))
    device = TOTPDevice.objects.get(confirmed=False)
    post = client.post(reverse("staff_2fa_enrol"), {"code": code(device), "next": reverse("admin:index")})
    return response, post, device


def test_without_the_setting_a_password_is_enough(client, agent):
    assertRedirects(login(client), reverse("admin:index"))
    assert logged_in(client)


def test_required_second_factor_sends_a_new_staff_member_to_enrolment_first(client, agent, two_factor, clock):
    assertRedirects(login(client), reverse("admin:index"), target_status_code=302)
    for url in [reverse("admin:index"), reverse("admin:auth_user_changelist"), reverse("admin:password_change")]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("staff_2fa_enrol"))

    page, post, device = enrol(client)
    assertContains(page, "<svg")
    secret = re.search(r'<code class="staff-2fa-secret">([A-Z2-7 ]+)</code>', page.content.decode()).group(1)
    assert b32decode(secret.replace(" ", "")) == device.bin_key
    device.refresh_from_db()
    assert device.confirmed
    assertRedirects(
        post, f"{reverse('staff_2fa_recovery_codes')}?next={reverse('admin:index')}", fetch_redirect_response=False
    )
    codes_page = client.get(post["Location"])
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page.content.decode())
    assert len(codes) == 10 and set(codes) == set(StaticToken.objects.values_list("token", flat=True))
    assertNotContains(client.get(post["Location"]), codes[0])  # shown once
    assert logged_in(client)


def test_enrolment_refuses_a_wrong_code_in_french(client, agent, two_factor):
    login(client)
    client.get(reverse("staff_2fa_enrol"))
    response = client.post(reverse("staff_2fa_enrol"), {"code": "000000"})
    assertContains(response, "Ce code ne correspond pas")
    assertContains(response, "<title>Erreur – ")
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_next_login_asks_for_the_code_and_refuses_a_replayed_one(client, agent, two_factor, clock):
    login(client)
    _, _, device = enrol(client)
    used = code(device)
    client.post(reverse("admin:logout"))

    login(client)
    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("staff_2fa_verify"))
    response = client.post(reverse("staff_2fa_verify"), {"code": used})
    assertContains(response, "déjà utilisé")
    assert not logged_in(client)

    clock.shift(timedelta(seconds=31))
    response = client.post(reverse("staff_2fa_verify"), {"code": code(device), "next": reverse("admin:index")})
    assertRedirects(response, reverse("admin:index"))
    assert logged_in(client)


def test_codes_refused_in_a_row_make_the_next_try_wait(client, agent, two_factor, clock):
    login(client)
    _, _, device = enrol(client)
    client.post(reverse("admin:logout"))
    login(client)
    client.post(reverse("staff_2fa_verify"), {"code": "000000"})
    clock.shift(timedelta(seconds=31))
    client.post(reverse("staff_2fa_verify"), {"code": "000000"})  # second refusal: wait 2 seconds
    response = client.post(reverse("staff_2fa_verify"), {"code": code(device)})
    assertContains(response, "attendez 2 secondes")
    clock.shift(timedelta(seconds=2))
    response = client.post(reverse("staff_2fa_verify"), {"code": code(device)})
    assertRedirects(response, reverse("admin:index"))


def test_a_recovery_code_works_once(client, agent, two_factor, clock):
    login(client)
    enrol(client)
    recovery = StaticToken.objects.first().token
    client.post(reverse("admin:logout"))

    login(client)
    response = client.post(reverse("staff_2fa_verify"), {"code": recovery.upper()[:4] + " " + recovery[4:]})
    assertRedirects(response, reverse("admin:index"), fetch_redirect_response=False)
    assertContains(client.get(reverse("admin:index")), "il vous en reste 9")
    client.post(reverse("admin:logout"))

    login(client)
    assertContains(client.post(reverse("staff_2fa_verify"), {"code": recovery}), "déjà utilisé")
    assert not logged_in(client)


def test_verified_staff_renew_recovery_codes_and_the_old_ones_stop_working(client, agent, two_factor, clock):
    login(client)
    enrol(client)
    old = set(StaticToken.objects.values_list("token", flat=True))
    client.get(reverse("staff_2fa_recovery_codes"))  # the first display
    response = client.post(reverse("staff_2fa_recovery_codes"), follow=True)
    shown = set(re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode()))
    assert shown == set(StaticToken.objects.values_list("token", flat=True)) and not shown & old


def test_unverified_staff_count_as_visitors_on_the_public_site(client, agent, two_factor, rf):
    login(client)
    response = client.get(reverse("home"))
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated


def test_admin_session_on_the_verify_page_is_not_cached(client, agent, two_factor):
    login(client)
    enrol(client)
    client.post(reverse("admin:logout"))
    login(client)
    assert "no-store" in client.get(reverse("staff_2fa_verify"))["Cache-Control"]


# --- The admin's path and 403 --------------------------------------------------------------------------------------


@pytest.fixture
def other_admin_path(settings):
    import langres_portal.urls

    settings.ADMIN_URL = "gestion-interne/"
    importlib.reload(langres_portal.urls)
    clear_url_caches()
    yield
    settings.ADMIN_URL = "admin/"
    importlib.reload(langres_portal.urls)
    clear_url_caches()


def test_the_admin_answers_on_the_path_of_the_setting(client, agent, other_admin_path, clock):
    assert reverse("admin:index") == "/gestion-interne/"
    assert client.get("/admin/").status_code == 404
    assertRedirects(login(client), "/gestion-interne/")
    assert client.get("/gestion-interne/").status_code == 200
    assert reverse("admin_password_reset").startswith("/gestion-interne/")
    assert "Disallow: /gestion-interne/" in client.get(reverse("robots_txt")).content.decode()


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("redac", "redac@example.org", PASSWORD, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_page"))
    return user


@pytest.mark.parametrize(
    "url_name,expected",
    [
        ("admin:pre_contactrequest_changelist", "« Coordination PRE »"),
        ("admin:microprojets_application_changelist", "« Instructeur microprojets »"),
        ("admin:quartiers_quartier_changelist", "« Rédaction »"),
        ("admin:auth_group_changelist", "réservée aux administrateurs"),
    ],
)
def test_the_admin_403_is_french_and_names_the_role_to_ask_for(client, editor, url_name, expected):
    client.force_login(editor)
    response = client.get(reverse(url_name))
    assert response.status_code == 403
    assertContains(response, "Accès refusé", status_code=403)
    assertContains(response, expected, status_code=403)
    assertContains(response, 'id="site-name"', status_code=403)  # the admin's layout
    assertContains(response, "demandez à un administrateur", status_code=403)


def test_a_view_may_name_the_role_it_needs(rf, editor):
    from django.core.exceptions import PermissionDenied
    from django.urls import resolve

    from langres_portal.core.views import permission_denied

    request = rf.get(reverse("admin:core_page_changelist"))
    request.user = editor
    request.resolver_match = resolve(request.path)
    response = permission_denied(request, PermissionDenied("Coordination PRE"))
    assert response.status_code == 403 and "« Coordination PRE »" in response.content.decode()
