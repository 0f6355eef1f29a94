import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clean_cache_and_no_clamd(settings):
    """The per-IP limits live in the cache: each test starts with a clean count; no clamd of its own."""
    settings.CLAMAV_SOCKET = ""
    cache.clear()
    yield
    cache.clear()
