"""The health check polled by the load balancer or the monitoring (every 10 s or so): is this node able to serve?

It answers 200 {"status": "ok"} when the database answers a trivial query and the shared cache keeps and gives
back a short-lived key, 503 {"status": "erreur"} otherwise. It says nothing else (no version, no hostname, no
personal data), sets no cookie, is never stored by a cache, and never fails with a 500: the errors of the database
and of the cache are caught and logged here.
"""

import logging
import os
import secrets
import socket
import threading

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("langres_portal.health")

# Long enough for the set then the get below, short enough that the database cache's rows go away on their own.
KEY_TIMEOUT_SECONDS = 30


def cache_key() -> str:
    """One key per node, process and thread: concurrent checks never read each other's value, and their number
    stays bounded by the number of workers."""
    return f"health:{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure means "not healthy": the check itself must not fail
        logger.exception("Health check: the database does not answer")
        return False


def cache_answers() -> bool:
    key, value = cache_key(), secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=KEY_TIMEOUT_SECONDS)
        if cache.get(key) == value:
            return True
        logger.error("Health check: the cache did not give back the value just stored")
    except Exception:
        logger.exception("Health check: the cache does not answer")
    return False


@login_not_required
@never_cache
@require_safe
def health(request):
    # The cache is only tried once the database answers: when the database is down, there is nothing to add.
    ok = database_answers() and cache_answers()
    return JsonResponse({"status": "ok" if ok else "erreur"}, status=200 if ok else 503)
