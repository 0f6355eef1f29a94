"""Staff's edits of e-mail templates: a template that would fail is refused at its field, in French."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_django.asserts import assertContains

from langres_portal.core.emails import check_template, email_specs, queue_email
from langres_portal.core.forms import EmailTemplateForm
from langres_portal.core.models import EmailTemplate, OutboxEmail
from tests.core.test_email_flows import breakage

pytestmark = pytest.mark.usefixtures("content")

PRE = "pre-nouvelle-demande"


def change_url(template):
    return reverse("admin:core_emailtemplate_change", args=[template.pk])


def test_every_initial_template_passes_the_check():
    for template in EmailTemplate.objects.all():
        assert check_template(template.key, template.subject, template.body) == {}, template.key


def test_the_issue_example_is_refused_with_a_french_message_at_the_body(admin_client):
    template = EmailTemplate.objects.get(key=PRE)
    body = template.body + "\n{% if site.phone %}Appelez le {{ site.phone }}."
    response = admin_client.post(change_url(template), {"subject": template.subject, "body": body})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    line = body.count("\n") + 1
    assert errors["body"] == [
        f"Ligne {line} : la balise {{% if %}} n’est pas fermée ; ajoutez {{% endif %}} là où elle se termine."
    ]
    assertContains(response, "la balise {% if %} n’est pas fermée")
    template.refresh_from_db()
    assert "site.phone" not in template.body  # nothing saved


def test_a_variable_the_email_does_not_have_is_refused(admin_client):
    template = EmailTemplate.objects.get(key=PRE)
    body = template.body.replace("Bonjour,", "Bonjour {{ prenom }},")
    response = admin_client.post(change_url(template), {"subject": template.subject, "body": body})
    message = response.context["adminform"].form.errors["body"][0]
    assert message.startswith("La variable {{ prenom }} n’existe pas dans ce courriel")
    assert "{{ admin_url }}" in message and "{{ created_at }}" in message


def test_an_error_in_the_subject_is_shown_at_the_subject(admin_client):
    template = EmailTemplate.objects.get(key="microprojets-accuse-reception")
    response = admin_client.post(
        change_url(template), {"subject": "Dossier {{ reference|majuscules }}", "body": template.body}
    )
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["subject"] and errors["subject"] == ["Ligne 1 : le filtre « majuscules » n’existe pas."]


def test_a_fixed_template_tells_staff_the_waiting_mails_will_leave(admin_client):
    template = EmailTemplate.objects.get(key=PRE)
    EmailTemplate.objects.filter(pk=template.pk).update(body="{% if x %}")
    queue_email(key=PRE, to=["a@example.org"], context={"admin_url": "http://testserver/admin/", "created_at": None})
    listing = admin_client.get(reverse("admin:core_emailtemplate_changelist"))
    assertContains(listing, "Courriels en attente de ce modèle")
    assert {t.key: t.waiting for t in listing.context["cl"].result_list}[PRE] == 1
    response = admin_client.post(
        change_url(template), {"subject": template.subject, "body": template.body}, follow=True
    )
    assertContains(response, "1 courriel(s) qui attendaient ce modèle partiront au prochain passage")


def mutate(source, where, slip):
    at = int(len(source) * where)
    return source[:at] + slip + source[at:]


@given(
    key=st.sampled_from(sorted(email_specs())),
    where=st.floats(min_value=0, max_value=1),
    slip=breakage | st.text(alphabet="{}%#|:. ab", max_size=8),
    in_subject=st.booleans(),
)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_form_accepts_a_template_exactly_when_its_email_can_be_written(key, where, slip, in_subject):
    template = EmailTemplate.objects.get(key=key)
    saved = (template.subject, template.body)
    subject = mutate(template.subject, where, slip) if in_subject else template.subject
    body = template.body if in_subject else mutate(template.body, where, slip)
    form = EmailTemplateForm(instance=template, data={"subject": subject, "body": body})
    if form.is_valid():
        spec = email_specs()[key]
        mail = queue_email(key=key, to=["a@example.org"], context=spec.sample())
        assert mail.rendered_at is not None and mail.last_error == ""
        assert not any(mark in mail.subject + mail.body_text for mark in ("{{", "{%", "%}", "}}"))
        OutboxEmail.objects.filter(pk=mail.pk).delete()
    else:
        field = "subject" if in_subject else "body"
        assert list(form.errors) == [field]
        message = form.errors[field][0]
        assert message.startswith(("Ligne ", "La variable ", "Le modèle")), message
    template.refresh_from_db()
    assert (template.subject, template.body) == saved  # the form alone never saves
