"""Staff exports: the filtered list of applications and a call's budget, in CSV (BOM, « ; », decimal comma) and
XLSX; their columns as documented in docs/exports-microprojets.md; instructors only."""

import csv
import io
import os
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from langres_portal.core.permissions import ROLE_EDITORS, ROLE_INSTRUCTORS
from microprojets import exports, workflow
from microprojets.models import Application
from tests.fuzz.conftest import fuzz_settings
from tests.fuzz.strategies import extra_names, field_value

from .factories import ApplicationFactory, CallFactory

S = workflow.Status
pytestmark = pytest.mark.usefixtures("content")
DOC = Path(__file__).resolve().parents[2] / "docs" / "exports-microprojets.md"
LIST_URL = "admin:microprojets_application_export"
BUDGET_URL = "admin:microprojets_call_budget_export"


@pytest.fixture
def instructor(django_user_model):
    user = django_user_model.objects.create_user(
        "instructeur", "i@example.org", "motdepasse-solide-123", is_staff=True
    )
    user.groups.add(Group.objects.get_or_create(name=ROLE_INSTRUCTORS)[0])
    return user


@pytest.fixture
def instructor_client(client, instructor):
    client.force_login(instructor)
    return client


def cache_directives(response):
    return {d.strip() for d in response["Cache-Control"].split(",")}


def read_csv(response):
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))


def read_xlsx(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_documentation_is_the_column_lists():
    if os.environ.get("UPDATE_DOCS"):
        DOC.write_text(exports.documentation(), encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == exports.documentation(), (
        "docs/exports-microprojets.md n’est plus à jour : UPDATE_DOCS=1 .venv/bin/pytest "
        "tests/microprojets/test_exports.py -k documentation"
    )
    for _title, columns in exports.EXPORTS:
        for column in columns:
            assert f"| {column.label} | {column.description} |" in DOC.read_text(encoding="utf-8")


def test_the_csv_of_the_list_has_a_bom_semicolons_decimal_commas_and_the_documented_header(instructor_client):
    application = ApplicationFactory(
        status=S.PAID, amount_requested=Decimal("1234.50"), organisation_name="=HYPERLINK(1)", first_name="Zoé"
    )
    response = instructor_client.get(reverse(LIST_URL, args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert {"private", "no-store"} <= cache_directives(response)
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="dossiers-microprojets-{today}.csv"'
    rows = read_csv(response)
    assert rows[0] == [c.label for c in exports.APPLICATION_COLUMNS]
    assert b";" in response.content.splitlines()[0]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Référence"] == application.reference
    assert row["Statut"] == "Versé"
    assert row["Prénom"] == "Zoé"
    assert row["Montant demandé (€)"] == "1234,50"
    assert row["Montant accordé (€)"] == "1234,50"
    assert row["Montant versé (€)"] == "1234,50"
    assert row["Structure"] == "'=HYPERLINK(1)"  # never a formula
    assert row["Reçu le"] == timezone.localtime(application.submitted_at).strftime("%d/%m/%Y %H:%M")
    assert len(rows) == 2


def test_the_xlsx_of_the_list_reads_back_with_numbers_and_the_same_header(instructor_client):
    ApplicationFactory(amount_requested=Decimal("800.25"), title="Jardin")
    response = instructor_client.get(reverse(LIST_URL, args=["xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert {"private", "no-store"} <= cache_directives(response)
    assert response["Content-Disposition"].endswith(f'-{timezone.localdate().isoformat()}.xlsx"')
    rows = read_xlsx(response)
    assert rows[0] == [c.label for c in exports.APPLICATION_COLUMNS]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Titre du projet"] == "Jardin"
    assert row["Montant demandé (€)"] == pytest.approx(800.25)  # a number cell, not text
    assert row["Montant accordé (€)"] in ("", None)


def test_the_export_keeps_the_filters_and_the_search_of_the_list(instructor_client):
    call, other_call = CallFactory(), CallFactory()
    kept = ApplicationFactory(call=call, status=S.UNDER_REVIEW, last_name="Lefèvre")
    ApplicationFactory(call=call, status=S.SUBMITTED, last_name="Lefèvre")  # another status
    ApplicationFactory(call=other_call, status=S.UNDER_REVIEW, last_name="Lefèvre")  # another call
    ApplicationFactory(call=call, status=S.UNDER_REVIEW, last_name="Bernard")  # not found by the search
    params = {"call__id__exact": call.pk, "status__exact": S.UNDER_REVIEW, "q": "lefèvre"}
    page = instructor_client.get(reverse("admin:microprojets_application_changelist"), params)
    # The list's buttons carry the page's query string.
    query = page.context["cl"].get_query_string()
    assert f'href="{reverse(LIST_URL, args=["csv"])}{query}"'.replace("&", "&amp;") in page.content.decode()
    assert "Exporter (XLSX)" in page.content.decode()
    rows = read_csv(instructor_client.get(reverse(LIST_URL, args=["csv"]), params))
    assert [r[0] for r in rows[1:]] == [kept.reference]
    rows = read_xlsx(instructor_client.get(reverse(LIST_URL, args=["xlsx"]), params))
    assert [r[0] for r in rows[1:]] == [kept.reference]


def test_the_export_follows_the_order_of_the_list(instructor_client):
    small = ApplicationFactory(amount_requested=Decimal("100"))
    big = ApplicationFactory(amount_requested=Decimal("900"))
    # « o=-7 »: the 7th column of list_display (the amount requested), descending.
    rows = read_csv(instructor_client.get(reverse(LIST_URL, args=["csv"]), {"o": "-7"}))
    assert [r[0] for r in rows[1:]] == [big.reference, small.reference]
    rows = read_csv(instructor_client.get(reverse(LIST_URL, args=["csv"]), {"o": "7"}))
    assert [r[0] for r in rows[1:]] == [small.reference, big.reference]


def test_a_bad_filter_value_redirects_to_the_list_never_a_500(instructor_client):
    ApplicationFactory()  # a filter without choices is not shown, nor applied
    response = instructor_client.get(reverse(LIST_URL, args=["csv"]), {"annee": "20x6"})
    assert response.status_code == 302 and response["Location"].endswith("?e=1")
    assert instructor_client.get(reverse(LIST_URL, args=["pdf"])).status_code == 404


def test_the_budget_of_a_call_lists_each_application_and_the_totals_against_the_envelope(instructor_client):
    call = CallFactory(envelope=Decimal("5000"), max_amount=Decimal("1500"))
    paid = ApplicationFactory(call=call, status=S.PAID, amount_requested=Decimal("1000"), organisation_name="Asso A")
    accepted = ApplicationFactory(call=call, status=S.ACCEPTED, amount_requested=Decimal("700.50"))
    ApplicationFactory(call=call, status=S.REJECTED, amount_requested=Decimal("300"))
    ApplicationFactory(amount_requested=Decimal("999"))  # another call
    response = instructor_client.get(reverse(BUDGET_URL, args=[call.pk, "csv"]))
    assert response.status_code == 200 and {"private", "no-store"} <= cache_directives(response)
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="budget-appel-{call.pk}-{today}.csv"'
    rows = read_csv(response)
    assert rows[0] == [c.label for c in exports.BUDGET_COLUMNS]
    by_ref = {r[0]: r for r in rows[1:]}
    assert by_ref[paid.reference] == [paid.reference, "Asso A", "Versé", "1000,00", "1000,00", "1000,00", "0,00"]
    assert by_ref[accepted.reference][3:] == ["700,50", "700,50", "0,00", "700,50"]
    assert rows[-3] == ["Total", "", "", "2000,50", "1700,50", "1000,00", "700,50"]
    assert rows[-2] == ["Enveloppe", "", "", "5000,00", "", "", ""]
    assert rows[-1] == ["Reste de l’enveloppe", "", "", "", "", "", "3299,50"]
    assert len(rows) == 1 + 3 + 3

    sheet = read_xlsx(instructor_client.get(reverse(BUDGET_URL, args=[call.pk, "xlsx"])))
    assert sheet[0] == [c.label for c in exports.BUDGET_COLUMNS]
    assert sheet[-1][0] == "Reste de l’enveloppe" and sheet[-1][6] == pytest.approx(3299.50)


def test_the_call_page_has_the_budget_buttons(admin_client):
    call = CallFactory()
    page = admin_client.get(reverse("admin:microprojets_call_change", args=[call.pk])).content.decode()
    assert reverse(BUDGET_URL, args=[call.pk, "csv"]) in page
    assert reverse(BUDGET_URL, args=[call.pk, "xlsx"]) in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_staff_member_who_is_not_an_instructor_gets_403_on_every_export(client, django_user_model, fmt):
    editor = django_user_model.objects.create_user("redaction", password="motdepasse-solide-123", is_staff=True)
    editor.groups.add(Group.objects.get_or_create(name=ROLE_EDITORS)[0])
    editor.user_permissions.add(Permission.objects.get(codename="view_call"))
    call = CallFactory()
    ApplicationFactory(call=call)
    client.force_login(editor)
    assert client.get(reverse(LIST_URL, args=[fmt])).status_code == 403
    assert client.get(reverse(BUDGET_URL, args=[call.pk, fmt])).status_code == 403
    # … and the call's page, which editors may open, shows them no export button.
    page = client.get(reverse("admin:microprojets_call_change", args=[call.pk]))
    assert reverse(BUDGET_URL, args=[call.pk, fmt]) not in page.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    call = CallFactory()
    for url in (reverse(LIST_URL, args=["csv"]), reverse(BUDGET_URL, args=[call.pk, "csv"])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    assert Application.objects.count() == 0


LIST_PARAMS = [
    "a_traiter", "call__id__exact", "status__exact", "quartier__id__exact", "pillar__id__exact", "annee",
    "instructeur", "porteur_kind__exact", "attachments__scan_status__exact", "is_example__exact", "q", "o",
    "submitted_at__year", "p",
]  # fmt: skip


@fuzz_settings()
@given(data=st.data())
def test_any_filter_value_gives_the_list_or_its_error_flag_never_a_500(instructor_client, data):
    ApplicationFactory(status=S.UNDER_REVIEW)
    names = data.draw(st.lists(st.one_of(st.sampled_from(LIST_PARAMS), extra_names(LIST_PARAMS)), max_size=4))
    query = {name: data.draw(field_value(), label=name) for name in names}
    for fmt in ("csv", "xlsx"):
        response = instructor_client.get(reverse(LIST_URL, args=[fmt]), query)
        assert response.status_code in (200, 302), (fmt, query, response.status_code)
        if response.status_code == 302:
            assert response["Location"].endswith("?e=1")
        elif fmt == "csv":
            assert read_csv(response)[0] == [c.label for c in exports.APPLICATION_COLUMNS]
    assert instructor_client.get(reverse("admin:microprojets_application_changelist"), query).status_code in (200, 302)
