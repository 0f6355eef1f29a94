"""A per-client counter in the cache, to slow down abuse of public forms without tracking anyone."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def client_key(request) -> str:
    """A hash of the client IP: the address itself is never stored."""
    ip = request.META.get(settings.CLIENT_IP_HEADER) or request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256((settings.SECRET_KEY + ip).encode()).hexdigest()[:32]


def limit_reached(request, scope: str, limit: int | None = None) -> bool:
    """True when this client already made `limit` submissions to `scope` in the current hour."""
    limit = settings.FORM_RATE_LIMIT_PER_HOUR if limit is None else limit
    return cache.get(f"ratelimit:{scope}:{client_key(request)}", 0) >= limit


def record_hit(request, scope: str) -> None:
    key = f"ratelimit:{scope}:{client_key(request)}"
    if cache.add(key, 1, timeout=3600):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=3600)
