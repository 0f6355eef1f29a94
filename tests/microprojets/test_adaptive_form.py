"""The application form adapts (issue 13, item 6): fields per kind of porteur, « je ne sais pas » for the pillar,
answers of the eligibility check carried over without a cookie, what to prepare, and the applicant's full dossier."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microprojets.forms.public import PILLAR_UNSURE
from microprojets.models import Application, Draft
from quartiers.models import Quartier
from tests.quartiers.factories import StreetFactory
from tests.ratelimits import reset_rate_limits

from .conftest import valid_data
from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def recap(client, data):
    response = client.post(reverse("microprojets:apply"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Draft.objects.get()


def test_a_collective_sends_no_rna_or_siret_even_if_typed_before_changing_its_choice(client, call):
    data = valid_data(porteur_kind="collectif", rna="pas un RNA", siret="123", residents_count="6")
    draft = recap(client, data)
    client.post(reverse("microprojets:recap", args=[draft.token]), {"engagement": "on"})
    application = Application.objects.get()
    assert (application.rna, application.siret, application.residents_count) == ("", "", 6)


def test_a_resident_with_a_structure_sends_no_number_of_residents(client, call):
    draft = recap(client, valid_data(porteur_kind="habitant", rna="W52", residents_count="abc"))
    client.post(reverse("microprojets:recap", args=[draft.token]), {"engagement": "on"})
    assert Application.objects.get().residents_count is None


def test_an_association_still_needs_its_rna_or_siret(client, call):
    response = client.post(reverse("microprojets:apply"), valid_data(rna="", siret=""))
    assert response.status_code == 200
    assert "Pour une association, indiquez le numéro RNA ou le SIRET." in response.content.decode()


def test_fields_of_one_kind_of_porteur_say_which_kind_they_belong_to(client, call):
    html = client.get(reverse("microprojets:apply")).content.decode()
    for field, kind in (("rna", "association"), ("siret", "association"), ("residents_count", "collectif")):
        assert (
            f'data-porteur-kind="{kind}"'
            in html.split(f'id="id_{field}"')[0][-400:] + html.split(f'id="id_{field}"')[1][:400]
        ), field
    assert 'data-budget-lines="3"' in html


def test_the_pillar_can_be_left_to_the_service(client, call):
    html = client.get(reverse("microprojets:apply")).content.decode()
    assert PILLAR_UNSURE in html and "Dans quel domaine est votre projet ?" in html
    draft = recap(client, valid_data(porteur_kind="collectif", residents_count="5", pillar=""))
    client.post(reverse("microprojets:recap", args=[draft.token]), {"engagement": "on"})
    assert Application.objects.get().pillar is None


def test_the_eligibility_answers_are_carried_to_the_form_in_the_link(client, call):
    street = StreetFactory(name="Rue des Glycines prolongée", quartier=Quartier.objects.published().first())
    answers = {
        "collective": "oui",
        "non_profit": "oui",
        "residents": "oui",
        "dates": "oui",
        "amount": "300",
        "street": street.name,
        "number": "12",
    }
    page = client.get(reverse("microprojets:eligibility"), answers)
    link = next(
        part.split('"')[0]
        for part in page.content.decode().split('href="')
        if part.startswith("/microprojets/deposer/?")
    )
    query = parse_qs(urlparse(link.replace("&amp;", "&")).query)
    assert query["montant"] == ["300"] and query["numero"] == ["12"]
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert 'name="amount_requested" id="id_amount_requested" value="300"' in form
    assert f'value="12 {answers["street"]}"' in form
    assert "Set-Cookie" not in client.get(link.replace("&amp;", "&")).headers
    assert f'value="{street.quartier.pk}" selected' in form


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    params=st.dictionaries(
        st.sampled_from(["montant", "rue", "numero", "quartier", "autre"]),
        st.text(max_size=300) | st.sampled_from(["-5", "1e999", "NaN", "0", "99999999999", "12 bis", "∞"]),
    )
)
def test_an_absurd_prefill_is_ignored_never_an_error(client, call, params):
    reset_rate_limits()
    response = client.get(reverse("microprojets:apply"), params)
    assert response.status_code == 200
    assert "Le formulaire contient des erreurs" not in response.content.decode()


def test_the_call_page_and_the_form_say_what_to_prepare(client, call):
    for url in (reverse("microprojets:index"), reverse("microprojets:apply")):
        html = client.get(url).content.decode()
        assert "Avant de déposer : ce qu’il faut préparer" in html, url
        assert "Exemples de ce qui ne peut pas être payé" in html, url


def test_the_applicant_reads_everything_sent_from_the_tracking_page(client, call):
    application = ApplicationFactory(call=call, description="Quatre bacs et des ateliers du mercredi.")
    application.budget_lines.create(kind="expense", label="Bacs en bois", amount="800")
    tracking = client.get(application.get_tracking_url()).content.decode()
    url = reverse("microprojets:dossier", args=[application.tracking_token])
    assert url in tracking
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Quatre bacs et des ateliers du mercredi." in html and "Bacs en bois" in html
    assert application.email in html and application.phone in html
    assert response["X-Robots-Tag"] == "noindex, nofollow" and response["Referrer-Policy"] == "no-referrer"
    assert client.get(reverse("microprojets:dossier", args=["inconnu"])).status_code == 404
