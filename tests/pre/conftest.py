import pytest
from django.contrib.auth.models import Permission

from tests.pre.factories import coordination_group


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
