"""Guards of the public forms against abuse, without tracking anyone: a per-client counter in the cache, and a
limit on the size of a request read before its body."""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache


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


def body_too_large(request, max_bytes: int) -> bool:
    """True when the request announces a body over `max_bytes`: refuse it before Django reads the body.

    A malformed Content-Length counts as none (Django reads no body then), never as an error 500.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > max_bytes
