import pytest
from django.contrib.auth.models import Permission

from tests.pre.factories import coordination_group


@pytest.fixture(autouse=True)
def _clear_cache():
    """The per-IP limit lives in the cache: each test starts with a clean count."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def coordinator(django_user_model):
    """A member of the group « Coordination PRE »: the only persona who reads the requests."""
    user = django_user_model.objects.create_user(
        "coordinatrice", "coord@example.org", "motdepasse-solide-123", is_staff=True
    )
    user.groups.add(coordination_group())
    return user


@pytest.fixture
def other_staff(django_user_model):
    """Staff of another team with every permission of every app, including the requests' own, given directly."""
    user = django_user_model.objects.create_user(
        "instructeur", "instr@example.org", "motdepasse-solide-123", is_staff=True
    )
    user.user_permissions.set(Permission.objects.all())
    return user
