"""Defect 3: a broken e-mail template never loses a request; the mail waits, says why, and leaves once fixed.

For every template the outbox renders, a template broken by hypothesis is put in the database (as an old save or
a data load could), the real form that sends it is submitted, and then the template is fixed in the admin.
"""

import pytest
from django.core import mail
from django.template import Engine
from django.urls import reverse
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from langres_portal.core.emails import check_template, dump_context, email_specs, send_pending_emails
from langres_portal.core.models import EmailTemplate, OutboxEmail
from tests.core.outbox_flows import FLOWS
from tests.ratelimits import reset_rate_limits

pytestmark = pytest.mark.usefixtures("content")

KNOWN = Engine.get_default().template_builtins
TAGS = {name for library in KNOWN for name in library.tags}
FILTERS = {name for library in KNOWN for name in library.filters}
name = st.from_regex(r"[a-z][a-z_]{1,12}", fullmatch=True)
# What a slip of the keyboard leaves in a template.
breakage = st.one_of(
    st.sampled_from(["{% if site.phone %}", "{%", "{{", "%}", "}}", "{#", "{% endif %}", "{% endfor %}", "{{ }}"]),
    name.filter(lambda n: n not in TAGS).map(lambda n: f"{{% {n} %}}"),
    name.filter(lambda n: n not in FILTERS).map(lambda n: f"{{{{ site.phone|{n} }}}}"),
    st.text(alphabet=" |:\"'", min_size=1, max_size=4).map(lambda junk: f"{{{{ site{junk}phone }}}}"),
    st.sampled_from(["{% for x in %}{% endfor %}", "{% if %}{% endif %}", "{% include 'x.html' %}"]),
)


def paths(value, prefix=""):
    """The variable paths of a stored (dumped) context: what a template can print."""
    if isinstance(value, list):
        return set().union(*(paths(v, prefix) for v in value)) if value else set()
    if isinstance(value, dict):
        if value.get("__type__") == "object":
            return {prefix} | paths(value["fields"], prefix)
        if "__type__" in value:
            return {prefix}
        return set().union(*(paths(v, f"{prefix}.{k}" if prefix else k) for k, v in value.items())) or {prefix}
    return {prefix}


def test_every_template_the_outbox_renders_has_a_sender_a_sample_and_a_flow():
    keys = set(EmailTemplate.objects.values_list("key", flat=True))
    assert keys == set(email_specs()) == set(FLOWS)


@pytest.mark.parametrize("key", sorted(FLOWS))
@given(where=st.floats(min_value=0, max_value=1), slip=breakage)
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_broken_template_keeps_the_request_and_the_mail_leaves_once_fixed(client, admin_client, key, where, slip):
    reset_rate_limits()  # the per-client limits, for every example
    template = EmailTemplate.objects.get(key=key)
    good = template.body
    at = int(len(good) * where)
    broken = good[:at] + slip + good[at:]
    # A slip inside a quoted filter argument (« date:"j F{% if %}" ») is still a valid template: not this test's case.
    assume(check_template(key, template.subject, broken))  # the admin would refuse it
    EmailTemplate.objects.filter(pk=template.pk).update(body=broken)
    last = OutboxEmail.objects.order_by("pk").last()
    client.raise_request_exception = False

    saved = FLOWS[key](client, admin_client)

    assert saved.pk is not None  # the request, the application, the draft or the message is saved
    waiting = OutboxEmail.objects.filter(pk__gt=last.pk if last else 0, template_key=key).get()
    assert waiting.rendered_at is None and waiting.sent_at is None and not waiting.gave_up
    assert f"Modèle « {key} » à corriger (texte)" in waiting.last_error
    # Everything the real sender passes is in the sample the admin checks templates with.
    spec = email_specs()[key]
    assert paths(waiting.context) <= paths(dump_context(spec.sample(), spec.links))
    # Staff see the reason in the outbox.
    changelist = admin_client.get(reverse("admin:core_outboxemail_changelist"), {"etat": "modele"})
    assert "Modèle à corriger" in changelist.content.decode() and str(waiting) in changelist.content.decode()

    mail.outbox.clear()
    send_pending_emails()
    assert not any(m.to == waiting.to and m.subject.startswith(template.subject[:10]) for m in mail.outbox)

    url = reverse("admin:core_emailtemplate_change", args=[template.pk])
    response = admin_client.post(url, {"subject": template.subject, "body": good})
    assert response.status_code == 302
    mail.outbox.clear()
    sent, failed = send_pending_emails()
    waiting.refresh_from_db()
    assert waiting.sent_at is not None and waiting.last_error == "" and waiting.context == {}
    assert [m for m in mail.outbox if m.to == waiting.to and m.subject == waiting.subject]
