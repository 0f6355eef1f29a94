"""The grants' open data (SCDL « subventions » 2.0.1, validated with frictionless) and the public figures page."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from frictionless import Resource, Schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from langres_portal.core.models import SiteIdentity
from microprojets import opendata
from microprojets.models import Application

from .factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db


def granted(**kwargs):
    return ApplicationFactory(status=Application.Status.ACCEPTED, **kwargs)


def association(**kwargs):
    return granted(porteur_kind="association", siret="35600000000048", **kwargs)


def read_csv(client):
    response = client.get(reverse("microprojets:grants_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert not text.startswith("\ufeff")  # the standard's files are plain UTF-8
    return text, list(csv.DictReader(io.StringIO(text)))


def validate(tmp_path, text):
    path = tmp_path / "subventions.csv"
    path.write_text(text, encoding="utf-8")
    # The published fields as they are; the file's own metadata keys ($schema, x-source) are not Table Schema's.
    schema = Schema.from_descriptor({"fields": opendata.schema()["fields"]})
    resource = Resource(path=path.name, basepath=str(tmp_path), schema=schema)
    report = resource.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_file_has_the_standards_columns_in_order(client, content):
    text, _rows = read_csv(client)
    header = text.splitlines()[0].split(",")
    assert header == [f["name"] for f in opendata.schema()["fields"]]
    assert len(header) == 14


def test_grants_to_associations_validate_against_the_scdl_schema(client, content, tmp_path):
    call = CallFactory()
    association(call=call, title="Jardin partagé", amount_requested=Decimal("800"))
    association(call=call, title='=HYPERLINK("http://x")', amount_requested=Decimal("300.50"))
    text, rows = read_csv(client)
    validate(tmp_path, text)
    assert len(rows) == 2
    site = SiteIdentity.current()
    first = rows[0]
    assert first["nomAttribuant"] == site.legal_name and first["idAttribuant"] == site.siret
    assert first["nomBeneficiaire"] == "Association Vivre ensemble" and first["idBeneficiaire"] == "35600000000048"
    assert {r["montant"] for r in rows} == {"800.00", "300.50"}
    assert rows[1]["objet"].startswith("'=")  # no formula in a spreadsheet


def test_collectives_residents_undecided_and_example_grants_are_not_in_the_file(client, content):
    call = CallFactory()
    granted(call=call, porteur_kind="collectif", rna="", organisation_name="Collectif des Tulipes", residents_count=5)
    granted(call=call, porteur_kind="habitant", rna="", organisation_name="Camille Martin")
    association(call=call, is_example=True, organisation_name="Association exemple")
    ApplicationFactory(call=call, porteur_kind="association", siret="35600000000048")  # received, not decided
    ApplicationFactory(call=call, status=Application.Status.REJECTED, siret="35600000000048")
    granted(call=call, porteur_kind="association", siret="", organisation_name="Sans SIRET")
    text, rows = read_csv(client)
    assert rows == []
    for name in ("Collectif des Tulipes", "Camille Martin", "Association exemple", "Sans SIRET"):
        assert name not in text


def test_without_the_communes_siret_the_file_has_only_its_columns(client, content):
    association()
    SiteIdentity.objects.update(siret="")
    _text, rows = read_csv(client)
    assert rows == []
    page = client.get(reverse("microprojets:figures"))
    assert "SIRET de la collectivité" in page.content.decode()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=150).filter(str.strip),
    name=st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=200).filter(str.strip),
    cents=st.integers(1, 80000),
)
def test_any_title_and_name_still_validate(client, content, tmp_path, title, name, cents):
    association(title=title, organisation_name=name, amount_requested=Decimal(cents) / 100)
    text, _rows = read_csv(client)
    validate(tmp_path, text)


def test_figures_count_every_kind_by_year_and_neighbourhood_without_names(client, content):
    call = CallFactory()
    association(call=call, amount_requested=Decimal("800"))
    granted(call=call, porteur_kind="collectif", rna="", organisation_name="Collectif des Tulipes", residents_count=5)
    ApplicationFactory(call=call)  # not decided: not counted
    response = client.get(reverse("microprojets:figures"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Collectif des Tulipes" not in html and "Association Vivre ensemble" not in html
    figures = opendata.figures()
    assert figures["totals"]["count"] == 2
    assert figures["totals"]["total"] == Decimal("1600")
    (row,) = figures["rows"]
    assert row["count"] == 2 and [c for c, _ in row["cells"]] == [1, 1, 0]


def test_example_grants_are_counted_with_the_example_badge(client, content):
    association(is_example=True)
    html = client.get(reverse("microprojets:figures")).content.decode()
    assert 'id="chiffres-exemple"' in html and "ne sont pas réels" in html


def test_figures_and_file_cost_the_same_queries_for_10_or_90_grants(client, content):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    call = CallFactory(envelope=Decimal("1000000"))
    for _ in range(10):
        association(call=call)
    small = [count(reverse("microprojets:figures")), count(reverse("microprojets:grants_csv"))]
    for _ in range(40):
        association(call=call)
        granted(call=call, porteur_kind="collectif", rna="")
    assert [count(reverse("microprojets:figures")), count(reverse("microprojets:grants_csv"))] == small
