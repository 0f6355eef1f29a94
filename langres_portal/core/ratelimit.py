"""Guards of the public forms against abuse, without tracking anyone: a per-client counter shared by every worker
and server, and a limit on the size of a request read before its body.

One call, `allow()`, counts the hit and answers in the same atomic step: checking first and counting afterwards
lets a burst of simultaneous requests all pass the check. Where the counter lives follows the default cache:
- Redis or Memcached (`CACHE_URL=redis://…`): the cache's own INCR, atomic on the server;
- Django's database cache (the default): a `RateLimitCounter` row counted by one conditional UPDATE, because
  DatabaseCache.incr() is a get then a set (two workers both read 4 and both write 5);
- a per-process cache (local memory), accepted only with DEBUG (checks.py refuses it otherwise): its incr holds
  a lock, so it is exact within one process.
Windows are fixed (the window number is in the key), so a client gets `limit` hits per window at most.
"""

import hashlib
import ipaddress
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import IntegrityError, transaction
from django.db.models import F

# A key outlives its window by this much, so that it never expires between the add() and the incr() below.
KEY_MARGIN_SECONDS = 60


def client_ip(request) -> str:
    """The client's address: the header set by the reverse proxy (DJANGO_CLIENT_IP_HEADER), else the socket's.

    A header holding a list (X-Forwarded-For: "given by the client, …, seen by our proxy") gives its last
    address, the one our proxy wrote: the ones before it are whatever the client sent. A value that is no IP
    address falls back to the socket's.
    """
    value = request.META.get(settings.CLIENT_IP_HEADER) or ""
    candidate = value.rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return request.META.get("REMOTE_ADDR", "")


def client_key(request) -> str:
    """A hash of the client IP: the address itself is never stored."""
    ip = client_ip(request)
    return hashlib.sha256((settings.SECRET_KEY + ip).encode()).hexdigest()[:32]


def allow(request, scope: str, limit: int | None = None, period: int = 3600) -> bool:
    """Count one hit of this client on `scope`; True while it makes at most `limit` hits in the current window.

    `limit` defaults to FORM_RATE_LIMIT_PER_HOUR; `period` is the window's length in seconds.
    """
    limit = settings.FORM_RATE_LIMIT_PER_HOUR if limit is None else limit
    now = time.time()
    window = int(now // period)
    key = f"ratelimit:{scope}:{client_key(request)}:{period}:{window}"
    window_end = (window + 1) * period
    backend = caches["default"]
    if isinstance(backend, DatabaseCache):
        return _allow_in_database(
            key, limit, datetime.fromtimestamp(window_end, UTC), datetime.fromtimestamp(now, UTC)
        )
    if limit < 1:
        return False
    backend.add(key, 0, timeout=int(window_end - now) + KEY_MARGIN_SECONDS)
    try:
        return backend.incr(key) <= limit
    except ValueError:
        # Evicted between add() and incr() (a full cache), or a cache that stores nothing (DummyCache, DEBUG only).
        return True


def _allow_in_database(key: str, limit: int, expires_at: datetime, now: datetime) -> bool:
    from .models import RateLimitCounter

    # One statement: the database locks the row, so concurrent hits are counted one after the other, and the
    # WHERE count < limit is evaluated on the latest value.
    under_limit = RateLimitCounter.objects.filter(key=key, count__lt=limit)
    if under_limit.update(count=F("count") + 1):
        return True
    if limit < 1 or RateLimitCounter.objects.filter(key=key).exists():
        return False
    try:
        with transaction.atomic():
            RateLimitCounter.objects.create(key=key, count=1, expires_at=expires_at)
    except IntegrityError:
        # Another request created this window's row first: count on it.
        return bool(under_limit.update(count=F("count") + 1))
    # A new window: the rows of windows that are over are of no use any more.
    RateLimitCounter.objects.filter(expires_at__lt=now).delete()
    return True


def body_too_large(request, max_bytes: int) -> bool:
    """True when the request announces a body over `max_bytes`: refuse it before Django reads the body.

    A malformed Content-Length counts as none (Django reads no body then), never as an error 500.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > max_bytes
