"""Tests that post many times as one client start each example with no hit counted."""

from django.core.cache import cache

from langres_portal.core.models import RateLimitCounter


def reset_rate_limits():
    # The counters live in the cache (Redis) or, with the database cache, in RateLimitCounter rows.
    cache.clear()
    RateLimitCounter.objects.all().delete()
