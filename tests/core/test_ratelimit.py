"""Rate limits: one atomic count per client, shared by every worker (database cache, Redis), exact under bursts."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory, override_settings

from langres_portal.core import ratelimit
from langres_portal.core.checks import shared_cache
from langres_portal.core.models import RateLimitCounter

REDIS_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/4"}
}
LOCMEM_CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(params=["database", "redis"])
def shared_backend(request):
    """The two shared caches the portal runs on; the Redis one is this test run's own database (number 4)."""
    if request.param == "database":
        yield "database"
        return
    with override_settings(CACHES=REDIS_CACHES):
        caches["default"].clear()
        yield "redis"
        caches["default"].clear()


def client(ip="203.0.113.7"):
    return RequestFactory().post("/formulaire/", REMOTE_ADDR=ip)


def burst(size, limit, scope="rafale", period=3600):
    """`size` requests from one client at the same instant (a barrier releases them together)."""
    barrier = threading.Barrier(size)

    def hit(_):
        barrier.wait()
        try:
            return ratelimit.allow(client(), scope, limit=limit, period=period)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=size) as pool:
        return list(pool.map(hit, range(size)))


@pytest.mark.django_db(transaction=True)  # the threads see each other's commits
@pytest.mark.parametrize(("size", "limit"), [(12, 5), (8, 1), (6, 0)])
def test_a_burst_of_simultaneous_requests_gets_exactly_the_limit(shared_backend, size, limit):
    answers = burst(size, limit)
    assert answers.count(True) == limit, answers


@pytest.mark.django_db
def test_each_client_scope_and_window_has_its_own_count(shared_backend, monkeypatch):
    assert [ratelimit.allow(client(), "contact", limit=2) for _ in range(3)] == [True, True, False]
    assert ratelimit.allow(client("203.0.113.8"), "contact", limit=2)
    assert ratelimit.allow(client(), "autre-formulaire", limit=2)
    # The next window (one hour later) starts again from zero.
    later = time.time() + 3600
    monkeypatch.setattr(ratelimit.time, "time", lambda: later)
    assert ratelimit.allow(client(), "contact", limit=2)


def test_the_default_limit_is_the_setting(db, settings):
    settings.FORM_RATE_LIMIT_PER_HOUR = 1
    assert [ratelimit.allow(client(), "contact") for _ in range(2)] == [True, False]


def test_database_counter_stores_no_address_and_drops_expired_windows(db, monkeypatch):
    ratelimit.allow(client(), "contact", limit=5, period=60)
    assert RateLimitCounter.objects.count() == 1
    assert "203.0.113.7" not in RateLimitCounter.objects.get().key
    later = time.time() + 3 * 60 + ratelimit.KEY_MARGIN_SECONDS
    monkeypatch.setattr(ratelimit.time, "time", lambda: later)
    ratelimit.allow(client(), "contact", limit=5, period=60)
    assert RateLimitCounter.objects.count() == 1  # the old window's row is gone


def test_the_default_cache_is_the_shared_database_cache(settings):
    from langres_portal import settings as project_settings

    assert project_settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_the_migrations_create_the_database_cache_table(db):
    assert "django_cache" in connection.introspection.table_names()
    caches["default"].set("essai", "valeur")
    assert caches["default"].get("essai") == "valeur"


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
        "django.core.cache.backends.filebased.FileBasedCache",
    ],
)
def test_check_refuses_a_per_process_cache_in_production(settings, backend):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "/tmp/x"}}
    errors = shared_cache(None)
    assert [e.id for e in errors] == ["core.E002"]
    assert "n’est pas partagé" in errors[0].msg and "CACHE_URL" in errors[0].hint


@pytest.mark.parametrize(
    "backend",
    ["django.core.cache.backends.db.DatabaseCache", "django.core.cache.backends.redis.RedisCache"],
)
def test_check_accepts_a_shared_cache(settings, backend):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "x"}}
    assert shared_cache(None) == []


def test_check_lets_a_developer_use_local_memory_with_debug(settings):
    settings.DEBUG = True
    settings.CACHES = LOCMEM_CACHES
    assert shared_cache(None) == []


@pytest.mark.django_db(transaction=True)
def test_local_memory_counts_exactly_within_one_process():
    with override_settings(CACHES=LOCMEM_CACHES):
        caches["default"].clear()
        assert burst(10, 3).count(True) == 3
