"""Test settings: the real settings module, with test-only values where the environment gives none."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-django-checks-0123456789")
os.environ.setdefault("DJANGO_HTTPS", "0")

from langres_portal.settings import *  # noqa: E402,F403

_tmp = tempfile.mkdtemp(prefix="langres-tests-")
MEDIA_ROOT = os.path.join(_tmp, "media")
PRIVATE_MEDIA_ROOT = os.path.join(_tmp, "private")
STATIC_ROOT = os.path.join(_tmp, "static")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's in-memory test database: threads then get their own connections and wait on the
    # write lock as in production, so the concurrency tests run on SQLite too.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(_tmp, "test.sqlite3")}  # noqa: F405
os.makedirs(STATIC_ROOT)
STORAGES["private"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT  # noqa: F405
# No collectstatic in tests.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Shared like in production (checks.py refuses a per-process cache): the rate-limit counters live in the test
# database, so each test starts with none. tests/core/test_ratelimit.py runs them on Redis too.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}}
ALLOWED_HOSTS = ["*"]
# The other tests log staff in with force_login; the second-factor tests turn it on themselves.
STAFF_2FA_REQUIRED = False
