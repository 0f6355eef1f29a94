"""In Chromium at 390 and 320 px: the form shows only the fields of the chosen porteur, starts the budget with three
lines, adds one on demand, and carries the eligibility check's amount (issue 13, item 6)."""

import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from microprojets.models import Draft
from tests.browser import assert_no_axe_violations

from .conftest import PDF

pytestmark = [pytest.mark.browser]
SHOTS = os.environ.get("SCREENSHOTS_DIR")


def visible(page, selector):
    return page.locator(selector).is_visible()


@pytest.mark.parametrize("width", [390, 320])
def test_an_association_sees_its_fields_and_applies_with_the_checked_amount(
    browse, live_server, call, tmp_path, width
):
    page = browse
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + reverse("microprojets:eligibility"))
    for name in ("collective", "non_profit", "residents", "dates"):
        page.check(f"input[name={name}][value=oui]")
    page.fill("#id_amount", "300")
    page.click("form.form-narrow button[type=submit]")
    page.wait_for_url("**/eligibilite/?**")
    with page.expect_navigation():
        page.click("#resultat-test a.btn-primary")
    assert page.input_value("#id_amount_requested") == "300"
    assert_no_axe_violations(page)

    # Before the choice, no field of one kind shows; each kind then shows its own.
    for field in ("#id_rna", "#id_siret", "#id_residents_count", "#id_statutes"):
        assert not visible(page, field), field
    page.check("#id_porteur_kind_1")  # collectif
    assert visible(page, "#id_residents_count") and not visible(page, "#id_rna")
    page.check("#id_porteur_kind_0")  # association
    assert visible(page, "#id_rna") and visible(page, "#id_siret") and visible(page, "#id_statutes")
    assert not visible(page, "#id_residents_count")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")

    # Three expense lines, then one more on demand, focused.
    lines = page.locator("#budget-depenses .budget-line")
    assert sum(lines.nth(i).is_visible() for i in range(lines.count())) == 3
    page.click("#budget-depenses .add-budget-line")
    assert sum(lines.nth(i).is_visible() for i in range(lines.count())) == 4
    assert page.evaluate("document.activeElement.id") == "id_depenses-3-label"
    assert_no_axe_violations(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/formulaire-{width}.png", full_page=True)

    start = timezone.localdate() + timedelta(days=40)
    page.fill("#id_organisation_name", "Association Vivre ensemble")
    page.fill("#id_rna", "W522001234")
    for field, value in {
        "first_name": "Camille",
        "last_name": "Martin",
        "role": "Présidente",
        "email": "camille@example.org",
        "phone": "06 12 34 56 78",
        "address": "3 rue des Tulipes, 52200 Langres",
        "title": "Fête des voisins",
        "summary": "Un repas partagé au pied des immeubles.",
        "description": "Tables, musique et jeux pour les enfants.",
        "objectives": "Se rencontrer entre voisins.",
        "audience": "Habitants du quartier",
        "participants_count": "60",
        "place": "Square des Tulipes",
        "starts_on": start.strftime("%d/%m/%Y"),
        "ends_on": start.strftime("%d/%m/%Y"),
        "depenses-0-label": "Location de tables",
        "depenses-0-amount": "300",
    }.items():
        page.fill(f"#id_{field}", value)
    page.select_option("#id_quartier", index=1)
    page.check("#id_pillar_0")  # « je ne sais pas »
    statutes = tmp_path / "statuts.pdf"
    statutes.write_bytes(PDF)
    page.set_input_files("#id_statutes", str(statutes))
    assert page.locator("#budget-ecart").inner_text() == "Le budget est équilibré."
    with page.expect_navigation():
        page.click("button[value=recap]")
    assert page.locator("h1").inner_text() == "Récapitulatif de votre dossier"
    assert Draft.objects.get().data["amount_requested"] == "300"
    assert_no_axe_violations(page)
