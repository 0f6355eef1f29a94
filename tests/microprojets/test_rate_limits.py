"""The microprojets' rate limits: new drafts per client and per day, on top of the per-hour limits."""

from pytest_django.asserts import assertContains

from microprojets.models import Draft

from .conftest import valid_data
from .test_apply import APPLY, post_form


def test_a_client_creates_at_most_the_daily_number_of_drafts(client, call, settings):
    settings.DRAFT_CREATE_LIMIT_PER_DAY = 2
    for _ in range(2):
        assert post_form(client, valid_data(action="draft"), statutes=None).status_code == 302
    refused = post_form(client, valid_data(action="draft"), statutes=None)
    assertContains(refused, "Trop d’envois", status_code=429)
    # A valid form going to the recap would create one too.
    assert post_form(client, valid_data()).status_code == 429
    assert Draft.objects.count() == 2
    # Another client is not affected, and the drafts already made can still be saved.
    assert client.post(APPLY, valid_data(action="draft"), REMOTE_ADDR="192.0.2.9").status_code == 302
    resume_url = f"/microprojets/deposer/{Draft.objects.first().token}/"
    assert post_form(client, valid_data(action="draft"), url=resume_url, statutes=None).status_code == 302
    assert Draft.objects.count() == 3


def test_an_invalid_form_without_files_does_not_count_as_a_new_draft(client, call, settings):
    settings.DRAFT_CREATE_LIMIT_PER_DAY = 1
    for _ in range(3):
        assert post_form(client, valid_data(phone="12"), statutes=None).status_code == 200
    assert post_form(client, valid_data(action="draft"), statutes=None).status_code == 302
    assert Draft.objects.count() == 1
