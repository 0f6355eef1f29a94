"""What every answer to a fuzzed request must satisfy."""

import re
from contextlib import contextmanager
from html import unescape

from django.db import transaction
from django.urls import reverse

from tests.ratelimits import reset_rate_limits

TRACEBACK_MARKS = ("Traceback (most recent call last)", "Exception Value:", 'id="traceback"', "Request Method:")
# Django's own English error pages, which a visitor must never get.
ENGLISH_PAGES = ("<h1>Bad Request (400)</h1>", "<h1>Forbidden", "<h1>Not Found</h1>", "Server Error (500)")
SUMMARY = re.compile(r'<div[^>]*id="erreurs"[^>]*>(.*?)</div>', re.S)
TAGS = re.compile(r"<[^>]+>")


@contextmanager
def isolated():
    """Each example on the same site: what it stored is rolled back, its rate-limit counts are forgotten.
    Otherwise an example (the recap that sends the draft) changes what the next ones see, and a failure found
    by hypothesis could not be replayed to be shrunk."""
    reset_rate_limits()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def stored_models():
    from langres_portal.core.models import OutboxEmail
    from microprojets.models import Application, Attachment, Draft
    from pre.models import ContactRequest

    return [Application, Draft, Attachment, ContactRequest, OutboxEmail]


def row_counts():
    return {model.__name__: model.objects.count() for model in stored_models()}


def body_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def error_summary(html):
    """The text of the page's error summary (heading excluded), or None when the page has none."""
    match = SUMMARY.search(html)
    if match is None:
        return None
    inner = re.sub(r"<h2.*?</h2>", "", match.group(1), flags=re.S)
    return " ".join(unescape(TAGS.sub(" ", inner)).split())


def check_answer(response, request_repr):
    """Never a 5xx, never a traceback, never Django's English error page; HTML pages are French."""
    html = body_of(response)
    assert response.status_code < 500, f"{response.status_code} pour {request_repr}"
    for mark in TRACEBACK_MARKS + ENGLISH_PAGES:
        assert mark not in html, f"« {mark} » dans la réponse {response.status_code} à {request_repr}"
    if response.get("Content-Type", "").startswith("text/html") and not 300 <= response.status_code < 400:
        assert '<html lang="fr"' in html, f"Page {response.status_code} sans lang=fr pour {request_repr}"
    return html


def is_refused(response, html):
    """A POST that was not accepted: an error status, or the form shown again."""
    return response.status_code >= 400 or (response.status_code == 200 and error_summary(html) is not None)


def check_refusal_is_explained(response, html, request_repr):
    """A refused form says why, in French, at the top: the error summary (or a French error page)."""
    summary = error_summary(html)
    if summary is None:
        assert response.status_code >= 400 and "<h1" in html, (
            f"Réponse {response.status_code} sans message d’erreur pour {request_repr}"
        )
        return
    assert summary, f"Résumé d’erreurs vide ({response.status_code}) pour {request_repr}"


def check_drafts_resumable(client, drafts_before, request_repr):
    """Every draft saved or changed by the request opens again from its link (the one of the e-mail)."""
    from microprojets.models import Draft

    for token, updated_at in Draft.objects.values_list("token", "updated_at"):
        if drafts_before.get(token) == updated_at:
            continue
        url = reverse("microprojets:resume", args=[token])
        response = client.get(url)
        check_answer(response, f"GET {url} après {request_repr}")
        assert response.status_code == 200, f"Brouillon non reprenable ({response.status_code}) après {request_repr}"
        recap = client.get(reverse("microprojets:recap", args=[token]))
        check_answer(recap, f"GET du récapitulatif après {request_repr}")


def draft_versions():
    from microprojets.models import Draft

    return dict(Draft.objects.values_list("token", "updated_at"))
