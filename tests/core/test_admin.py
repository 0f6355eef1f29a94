"""Every admin page of every model opens for a superuser: changelist, add form, change form (no 500)."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.usefixtures("content")


def registered_models():
    return sorted(admin.site._registry, key=lambda m: m._meta.label)


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_admin_pages_open(admin_client, model):
    opts = model._meta
    changelist = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    # Some models are reserved to one group (e.g. the PRE's requests): 403 is then the right answer.
    assert changelist.status_code in (200, 403)
    assert admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code in (200, 403)
    obj = model._default_manager.first()
    if obj is not None:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert admin_client.get(url).status_code in (200, 403)
