"""Every public form sent by POST (PRE call-back, application form and its draft, recap, complement, resend
link), with values nobody thought of, random files, absurd management forms and bodies that are not forms."""

from django.urls import resolve
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.checks import (
    body_of,
    check_answer,
    check_drafts_resumable,
    check_refusal_is_explained,
    draft_versions,
    is_refused,
    isolated,
    row_counts,
)
from tests.fuzz.conftest import fuzz_settings
from tests.fuzz.strategies import files_for, form_data, raw_body

# A refused application form still keeps the files that passed their checks, in a draft (so that the applicant
# does not choose them again): a new Draft and its Attachments are then expected, nothing else.
KEPT_WITH_A_REFUSED_FORM = {"microprojets:apply": {"Draft", "Attachment"}, "microprojets:resume": {"Attachment"}}


def post_forms(site):
    return sorted((f for f in site.forms if f.method == "post"), key=repr)


def check_post(client, form, response, before, drafts_before, request_repr):
    html = check_answer(response, request_repr)
    view = resolve(form.action).view_name
    if is_refused(response, html):
        check_refusal_is_explained(response, html, request_repr)
        after = row_counts()
        allowed = KEPT_WITH_A_REFUSED_FORM.get(view, set()) if response.status_code == 200 else set()
        changed = {name for name in after if after[name] != before[name]}
        assert changed <= allowed, f"Enregistré malgré le refus ({changed}) pour {request_repr}"
    elif response.status_code in (301, 302, 303):
        follow = client.get(response["Location"])
        check_answer(follow, f"GET {response['Location']} après {request_repr}")
        assert follow.status_code in (200, 302), f"{follow.status_code} après {request_repr}"
    else:
        raise AssertionError(f"Réponse {response.status_code} inattendue à {request_repr}:\n{body_of(response)[:500]}")
    if view in ("microprojets:apply", "microprojets:resume", "microprojets:recap"):
        check_drafts_resumable(client, drafts_before, request_repr)


@fuzz_settings()
@given(data=st.data())
def test_post_forms(site, client, data):
    form = data.draw(st.sampled_from(post_forms(site)), label="form")
    base = site.filled.get(resolve(form.action).view_name)
    body = data.draw(form_data(dict(form.fields), base, form.checkboxes), label="body")
    if "multipart" in form.enctype:
        body.update(data.draw(files_for(sorted(form.files)), label="files"))
    with isolated():
        before, drafts_before = row_counts(), draft_versions()
        response = client.post(form.action, body)
        check_post(client, form, response, before, drafts_before, f"POST {form.action} {body!r}")


@fuzz_settings()
@given(data=st.data())
def test_post_bodies_that_are_not_forms(site, client, data):
    """JSON, plain text, multipart without boundary, broken URL encoding, invalid UTF-8: refused in French."""
    form = data.draw(st.sampled_from(post_forms(site)), label="form")
    content_type, body = data.draw(raw_body(), label="body")
    with isolated():
        before, drafts_before = row_counts(), draft_versions()
        response = client.generic("POST", form.action, body, content_type=content_type)
        check_post(client, form, response, before, drafts_before, f"POST {form.action} {content_type} {body!r:.300}")
