"""Settings come from the environment; production mode passes Django's deployment checks."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_python(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "langres_portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_value(expr, **env):
    result = run_python("-c", f"import django; django.setup(); from django.conf import settings; print({expr})", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def real_secret():
    return "".join(secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)") for _ in range(50))


def test_production_mode_passes_check_deploy():
    result = run_python(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_SECRET_KEY=real_secret(), DJANGO_ALLOWED_HOSTS="localhost",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def env_example():
    """The variables of .env.example, the documented production environment file."""
    lines = (ROOT / ".env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))


def test_documented_production_environment_passes_check_deploy_without_a_warning():
    """DEBUG off, HTTPS behind the proxy (SECURE_PROXY_SSL_HEADER), PostgreSQL and Redis: what production runs."""
    production = {**env_example(), "DJANGO_SECRET_KEY": real_secret()}
    assert production["DJANGO_DEBUG"] == "0" and production["DJANGO_SECURE_PROXY_SSL_HEADER"] == "1"
    result = run_python("manage.py", "check", "--deploy", "--fail-level", "WARNING", **production)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_deployment_checks_find_nothing_in_production_mode():
    """The same, in the process: every registered check, deployment ones included, returns no message at all."""
    script = (
        "import django; django.setup(); from django.core import checks; "
        "print(repr(checks.run_checks(include_deployment_checks=True)))"
    )
    result = run_python("-c", script, DJANGO_SECRET_KEY=real_secret(), DJANGO_SECURE_PROXY_SSL_HEADER="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_a_weak_secret_key_is_reported():
    """The checks above can fail: production with a guessable key is not clean."""
    result = run_python(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_SECRET_KEY="change-me-50-random-characters", DJANGO_ALLOWED_HOSTS="localhost",
    )  # fmt: skip
    assert result.returncode != 0 and "security.W009" in result.stderr


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = run_python("manage.py", "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_debug_mode_runs_without_configuration():
    assert settings_value("settings.DEBUG", DJANGO_DEBUG="1") == "True"


def test_https_settings_on_by_default_and_off_together():
    key = real_secret()
    on = settings_value(
        "settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, settings.SESSION_COOKIE_SECURE, "
        "settings.CSRF_COOKIE_SECURE, settings.SESSION_COOKIE_NAME",
        DJANGO_SECRET_KEY=key,
    )
    assert on == "True 31536000 True True __Host-sessionid"
    off = settings_value(
        "settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, settings.SESSION_COOKIE_SECURE, "
        "settings.CSRF_COOKIE_SECURE",
        DJANGO_SECRET_KEY=key,
        DJANGO_HTTPS="0",
    )
    assert off == "False 0 False False"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////tmp/x.sqlite3", "django.db.backends.sqlite3 /tmp/x.sqlite3"),
        ("postgres://postgres@127.0.0.1:5432/test", "django.db.backends.postgresql test"),
    ],
)
def test_database_url(url, expected):
    value = settings_value(
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME']",
        DJANGO_DEBUG="1",
        DATABASE_URL=url,
    )
    assert value == expected


def test_default_database_is_sqlite_file():
    assert settings_value("settings.DATABASES['default']['NAME']", DJANGO_DEBUG="1").endswith("db.sqlite3")


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("smtp://user:pass@mail.example.org:587", "django.core.mail.backends.smtp.EmailBackend"),
        ("consolemail://", "django.core.mail.backends.console.EmailBackend"),
        ("filemail:///tmp/mails", "django.core.mail.backends.filebased.EmailBackend"),
    ],
)
def test_email_url(url, backend):
    assert settings_value("settings.EMAIL_BACKEND", DJANGO_DEBUG="1", EMAIL_URL=url) == backend


def test_smtp_url_gives_host_port_and_credentials():
    value = settings_value(
        "settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_HOST_USER",
        DJANGO_DEBUG="1",
        EMAIL_URL="smtp://user:pass@mail.example.org:587",
    )
    assert value == "mail.example.org 587 user"


def test_hosts_media_and_locale():
    value = settings_value(
        "settings.ALLOWED_HOSTS, settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT, settings.LANGUAGE_CODE, "
        "settings.TIME_ZONE, settings.DEFAULT_FROM_EMAIL",
        DJANGO_DEBUG="1",
        DJANGO_ALLOWED_HOSTS="a.fr,b.fr",
        MEDIA_ROOT="/srv/media",
        PRIVATE_MEDIA_ROOT="/srv/private",
        DEFAULT_FROM_EMAIL="portail@langres.fr",
    )
    assert value == "['a.fr', 'b.fr'] /srv/media /srv/private fr-fr Europe/Paris portail@langres.fr"


def test_proxy_ssl_header_is_opt_in():
    assert settings_value("getattr(settings, 'SECURE_PROXY_SSL_HEADER', None)", DJANGO_DEBUG="1") == "None"
    assert (
        settings_value("settings.SECURE_PROXY_SSL_HEADER", DJANGO_DEBUG="1", DJANGO_SECURE_PROXY_SSL_HEADER="1")
        == "('HTTP_X_FORWARDED_PROTO', 'https')"
    )
