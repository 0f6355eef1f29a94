"""Every state of the application journey is valid HTML for the W3C Nu checker (RGAA 8.2)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from microprojets.demo import reach
from microprojets.models import Application, Draft
from tests.core.test_html_validity import validate

from .conftest import PDF, valid_data
from .factories import ApplicationFactory, CallFactory, long_application

pytestmark = pytest.mark.django_db


def test_every_state_of_the_form_and_the_private_pages_is_valid_html(client, call, tmp_path):
    apply_url = reverse("microprojets:apply")
    pages = {"form": client.get(apply_url)}
    pages["form with errors"] = client.post(apply_url, valid_data(phone="12", **{"depenses-1-amount": "-3"}))
    pages["form with a bad file"] = client.post(
        apply_url, {**valid_data(), "statutes": SimpleUploadedFile("a.pdf", b"MZ")}
    )
    response = client.post(apply_url, {**valid_data(), "statutes": SimpleUploadedFile("statuts.pdf", PDF)})
    recap_url = response["Location"]
    pages["recap"] = client.get(recap_url)
    pages["recap with error"] = client.post(recap_url, {})
    receipt_url = client.post(recap_url, {"engagement": "on"})["Location"]
    pages["receipt"] = client.get(receipt_url)
    application = reach(Application.objects.get(), Application.Status.INCOMPLETE)
    pages["tracking"] = client.get(application.get_tracking_url())
    complement_url = reverse("microprojets:complement", args=[application.tracking_token])
    pages["complement with errors"] = client.post(complement_url, {"message": ""})
    withdraw_url = reverse("microprojets:withdraw", args=[application.tracking_token])
    pages["withdrawal confirmation"] = client.get(withdraw_url)
    pages["withdrawal from a stale page"] = client.post(withdraw_url, {"reason": "", "expected_version": "0"})
    response = client.post(apply_url, {"action": "draft", "title": "À finir", "depenses-TOTAL_FORMS": "0",
                                       "depenses-INITIAL_FORMS": "0", "ressources-TOTAL_FORMS": "0",
                                       "ressources-INITIAL_FORMS": "0"})  # fmt: skip
    pages["draft saved"] = client.get(response["Location"])
    pages["resumed draft"] = client.get(reverse("microprojets:resume", args=[Draft.objects.last().token]))
    pages["eligibility result"] = client.get(
        reverse("microprojets:eligibility"),
        {"collective": "non", "non_profit": "nsp", "residents": "oui", "dates": "non"},
    )
    pages["resend link with error"] = client.post(reverse("microprojets:resend_link"), {"email": "x"})
    pages["unreadable budget count"] = client.post(apply_url, valid_data(**{"depenses-TOTAL_FORMS": "abc"}))
    ApplicationFactory(call=call, source_token="ancien-brouillon", reference="MP-2020-0001")
    old_draft_link = reverse("microprojets:resume", args=["ancien-brouillon"])
    pages["already sent"] = Client().get(old_draft_link + "?renvoye=1")
    assert validate(tmp_path, pages) == []


def test_closed_call_page_is_valid_html(client, content, tmp_path):
    ApplicationFactory(status="accepted", call=CallFactory(closed=True))
    pages = {"closed": client.get(reverse("microprojets:apply"))}
    pages["index without call"] = client.get(reverse("microprojets:index"))
    assert validate(tmp_path, pages) == []


def test_receipt_and_tracking_with_long_values_are_valid_html(client, call, tmp_path):
    application = long_application(call)
    pages = {
        "receipt": client.get(reverse("microprojets:receipt", args=[application.tracking_token])),
        "tracking": client.get(application.get_tracking_url()),
    }
    assert validate(tmp_path, pages) == []
