"""/sante/: 200 when the database and the cache answer, 503 otherwise; cheap, uncached, cookie-free, never a 500."""

import json
import logging
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError, connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.cache import get_max_age

pytestmark = pytest.mark.django_db

# SELECT 1, then the database cache's set (count, lookup, update or insert, in a savepoint: a transaction in
# production) and get. On Redis, SELECT 1 only.
MAX_QUERIES = 7
REDIS_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/4"}
}
UNREACHABLE_REDIS_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
}


def assert_health(response, status, body):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == body
    # Nothing to remember, nothing to store: no cookie, and neither the browser nor a cache keeps the answer.
    assert "Set-Cookie" not in response.headers and not response.cookies
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control and get_max_age(response) == 0


def health_logs(caplog):
    return [(r.getMessage(), r.exc_info[1]) for r in caplog.records if r.name == "langres_portal.health"]


def test_url():
    assert reverse("health") == "/sante/"


def test_ok_when_the_database_and_the_cache_answer(client):
    assert_health(client.get("/sante/"), 200, {"status": "ok"})


def test_the_answer_says_nothing_else(client):
    response = client.get("/sante/")
    assert response.content == b'{"status": "ok"}'
    assert "Server" not in response.headers and "X-Version" not in response.headers


def test_database_down_is_503_and_logged(client, caplog):
    error = OperationalError("connection to server at 127.0.0.1 port 5432 failed")
    with (
        mock.patch.object(connections["default"], "cursor", side_effect=error),
        caplog.at_level(logging.ERROR, logger="langres_portal.health"),
    ):
        response = client.get("/sante/")
    assert_health(response, 503, {"status": "erreur"})
    assert health_logs(caplog) == [("Health check: the database does not answer", error)]


def test_database_query_failing_is_503(client):
    broken = mock.MagicMock()
    broken.__enter__.return_value.execute.side_effect = OperationalError("server closed the connection")
    with mock.patch.object(connections["default"], "cursor", return_value=broken):
        assert_health(client.get("/sante/"), 503, {"status": "erreur"})


@pytest.mark.parametrize("method", ["set", "get"])
def test_cache_down_is_503_and_logged(client, caplog, method):
    error = ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with (
        mock.patch.object(cache, method, side_effect=error),
        caplog.at_level(logging.ERROR, logger="langres_portal.health"),
    ):
        response = client.get("/sante/")
    assert_health(response, 503, {"status": "erreur"})
    assert health_logs(caplog) == [("Health check: the cache does not answer", error)]


def test_cache_that_loses_what_it_was_given_is_503(client, caplog):
    with mock.patch.object(cache, "get", return_value=None), caplog.at_level(logging.ERROR):
        assert_health(client.get("/sante/"), 503, {"status": "erreur"})
    assert "did not give back" in caplog.text


def test_each_check_really_writes_and_reads_the_cache(client):
    with (
        mock.patch.object(cache, "set", wraps=cache.set) as cache_set,
        mock.patch.object(cache, "get", wraps=cache.get) as cache_get,
    ):
        assert client.get("/sante/").status_code == 200
    (key, value), kwargs = cache_set.call_args
    assert key.startswith("health:") and kwargs == {"timeout": 30}
    assert cache_get.call_args.args == (key,)


def test_a_fixed_small_number_of_queries(client):
    counts = []
    for _ in range(3):  # the first check inserts the key, the next ones update it
        with CaptureQueriesContext(connections["default"]) as queries:
            assert client.get("/sante/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2] <= MAX_QUERIES, counts


def test_on_redis_one_query_and_a_round_trip(client):
    with override_settings(CACHES=REDIS_CACHES):
        with CaptureQueriesContext(connections["default"]) as queries:
            assert_health(client.get("/sante/"), 200, {"status": "ok"})
        assert [q["sql"] for q in queries.captured_queries] == ["SELECT 1"]


def test_redis_gone_is_503(client, caplog):
    """A real unreachable Redis (nothing listens on that port), not a mock: the client's own error is caught."""
    with override_settings(CACHES=UNREACHABLE_REDIS_CACHES), caplog.at_level(logging.ERROR):
        assert_health(client.get("/sante/"), 503, {"status": "erreur"})
    [(message, error)] = health_logs(caplog)
    assert message == "Health check: the cache does not answer" and "Connection refused" in str(error)


def test_head_answers_like_get_without_a_body(client):
    response = client.head("/sante/")
    assert response.status_code == 200 and response.content == b""
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_other_methods_are_refused_not_failed(client, method):
    assert getattr(client, method)("/sante/").status_code == 405


def test_answers_over_plain_http_when_the_site_redirects_to_https(client, settings):
    """A load balancer polls each node's port directly, without TLS: no redirect for the health check only."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/").status_code == 301
    assert_health(client.get("/sante/"), 200, {"status": "ok"})


def test_no_second_factor_or_login_redirect_for_a_half_logged_in_agent(client, settings, staff_user):
    settings.STAFF_2FA_REQUIRED = True
    client.force_login(staff_user)
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get("/sante/").status_code == 200
