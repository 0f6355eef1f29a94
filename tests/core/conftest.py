import pytest


@pytest.fixture(autouse=True)
def _no_clamd(settings):
    """No clamd of its own. The per-IP limits need no cleaning: they live in the test database (rolled back)."""
    settings.CLAMAV_SOCKET = ""
