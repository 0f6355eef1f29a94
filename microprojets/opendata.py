"""Open data of the microprojets' grants: the SCDL « subventions » standard (v2.0.1), and public figures.

The standard's Table Schema (schemas/scdl-subventions-2.0.1.schema.json, OpenDataFrance, décret n° 2017-779) is
the one list of columns: it drives the CSV, its documentation on the site, and the test that validates the file.

The standard requires the beneficiary's SIRET, so its rows are the grants to associations with a SIRET. Collectives
of residents and individuals are never named there: they are counted on the figures page, with their totals per
year and neighbourhood. Example data (is_example) never reach the standard's file: it states real decisions.
"""

import json
import re
from functools import cache
from pathlib import Path

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from . import workflow
from .models import Application, PorteurKind

SCHEMA_PATH = Path(__file__).parent / "schemas" / "scdl-subventions-2.0.1.schema.json"
SIRET = re.compile(r"^\d{14}$")
NATURE = "aide en numéraire"


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def columns() -> list[dict]:
    """The standard's columns in its order: name, description, required."""
    return [
        {
            "name": f["name"],
            "description": f.get("description", ""),
            "required": f.get("constraints", {}).get("required", False),
        }
        for f in schema()["fields"]
    ]


def decided_grants():
    """Grants decided (retained and after, given up or not), real data only."""
    return Application.objects.filter(status__in=workflow.GRANTED, is_example=False)


def published_grants():
    """The grants the standard's file lists: to associations with a well-formed SIRET."""
    return (
        decided_grants()
        .filter(porteur_kind=PorteurKind.ASSOCIATION, siret__regex=r"^[0-9]{14}$")
        .order_by("decided_at", "reference")
    )


def payment_period(application) -> str:
    """AAAA-MM-JJ or AAAA-MM-JJ/AAAA-MM-JJ: the decision date until the first payment (the standard requires one)."""
    return application.decided_at.date().isoformat()


def rows(site, applications):
    attributor_name = site.legal_name or site.commune_name
    for a in applications:
        yield {
            "nomAttribuant": attributor_name,
            "idAttribuant": site.siret,
            "dateConvention": a.decided_at.date().isoformat(),
            "referenceDecision": a.reference,
            "nomBeneficiaire": a.organisation_name,
            "idBeneficiaire": a.siret,
            "objet": a.title[:256],
            "montant": f"{a.amount_granted:.2f}",
            "nature": NATURE,
            "conditionsVersement": "unique",
            "datesPeriodeVersement": payment_period(a),
            "idRAE": "",
            "notificationUE": "non",  # the schema's falseValues
            "pourcentageSubvention": "1",
        }


def as_csv_cell(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection). The standard's own
    # values never start so (numbers are positive, dates and SIRET are digits); only free text can.
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


def figures():
    """Grants decided per year of decision and neighbourhood, by kind of porteur: counts and totals, never names.

    Example data are counted apart (`examples`), so a demonstration site says its figures are not real.
    """
    grants = Application.objects.filter(status__in=workflow.GRANTED)
    lines = (
        grants.annotate(year=ExtractYear("decided_at"))
        .values("year", "quartier__name", "porteur_kind")
        .annotate(count=Count("id"), total=Sum("amount_granted"))
        .order_by("-year", "quartier__name", "porteur_kind")
    )
    kinds = list(PorteurKind)
    table = {}
    for line in lines:
        key = (line["year"], line["quartier__name"] or "Hors quartier ou non précisé")
        row = table.setdefault(key, {"year": key[0], "quartier": key[1], "kinds": {}})
        row["kinds"][line["porteur_kind"]] = (line["count"], line["total"])
    result = []
    for row in table.values():
        cells = [row["kinds"].get(k.value, (0, 0)) for k in kinds]
        row["cells"] = cells
        row["count"] = sum(c for c, _ in cells)
        row["total"] = sum(t for _, t in cells)
        result.append(row)
    totals = grants.aggregate(count=Count("id"), total=Sum("amount_granted"))
    totals["examples"] = grants.filter(is_example=True).count()
    return {"kinds": kinds, "rows": result, "totals": totals}
