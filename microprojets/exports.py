"""Staff exports of the microprojets (instructors only): the applications of the admin list, as filtered, and a
call's budget summary, in CSV and XLSX.

One list of columns per export (label, description, value function) drives the CSV, the XLSX and their
documentation (docs/exports-microprojets.md, compared with these lists by a test). Both files are built by tablib.
The CSV is what a French spreadsheet opens without a wizard: UTF-8 with a BOM, « ; » between cells, decimal comma.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import tablib
from django.http import HttpResponse
from django.utils import timezone

from . import workflow
from .models import Call

FUNDED = sorted(workflow.GRANTED - {workflow.Status.NOT_CARRIED_OUT})  # as ApplicationQuerySet.funded()


@dataclass(frozen=True)
class Column:
    label: str
    description: str
    value: Callable[[Any], Any]


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def left_to_pay(application) -> Decimal:
    """What the city still owes: granted minus paid, for a grant not given up (0 otherwise)."""
    if application.status not in FUNDED or application.amount_granted is None:
        return Decimal(0)
    return application.amount_granted - application.amount_paid


APPLICATION_COLUMNS = [
    Column("Référence", "Référence du dossier (MP-AAAA-NNNN).", lambda a: a.reference),
    Column("Appel", "Titre de l’appel à projets.", lambda a: a.call.title),
    Column("Statut", "Statut du dossier dans l’instruction.", lambda a: a.get_status_display()),
    Column("Reçu le", "Date de réception du dossier.", lambda a: a.submitted_at),
    Column("Statut changé le", "Date du dernier changement de statut.", lambda a: a.status_changed_at),
    Column(
        "Type de porteur",
        "Association, collectif d’habitants ou habitant accompagné.",
        lambda a: a.get_porteur_kind_display(),
    ),
    Column("Structure", "Nom de l’association ou du collectif.", lambda a: a.organisation_name),
    Column("Prénom", "Prénom de la personne qui dépose le dossier.", lambda a: a.first_name),
    Column("Nom", "Nom de la personne qui dépose le dossier.", lambda a: a.last_name),
    Column("Courriel", "Adresse électronique du porteur.", lambda a: a.email),
    Column("Téléphone", "Téléphone du porteur.", lambda a: a.phone),
    Column("Titre du projet", "Titre du projet.", lambda a: a.title),
    Column(
        "Quartier", "Quartier prioritaire concerné (vide si aucun).", lambda a: a.quartier.name if a.quartier else ""
    ),
    Column("Pilier", "Pilier du contrat de ville (vide si aucun).", lambda a: a.pillar.name if a.pillar else ""),
    Column("Instructeur", "Instructeur chargé du dossier (vide si personne).", lambda a: _person(a.assigned_to)),
    Column("Montant demandé (€)", "Montant demandé à la Ville, en euros.", lambda a: a.amount_requested),
    Column(
        "Montant accordé (€)", "Montant accordé par le comité, en euros (vide si aucun).", lambda a: a.amount_granted
    ),
    Column("Montant versé (€)", "Total des versements, en euros.", lambda a: a.amount_paid),
    Column("Exemple", "« oui » pour une donnée de démonstration.", lambda a: a.is_example),
]

BUDGET_COLUMNS = [
    Column(
        "Référence",
        "Référence du dossier (MP-AAAA-NNNN) ; « Total » puis « Enveloppe » et « Reste de l’enveloppe » "
        "sur les dernières lignes.",
        lambda r: r["reference"],
    ),
    Column("Porteur", "Nom de l’association ou du collectif.", lambda r: r["porteur"]),
    Column("Statut", "Statut du dossier.", lambda r: r["status"]),
    Column("Demandé (€)", "Montant demandé à la Ville, en euros.", lambda r: r["requested"]),
    Column(
        "Accordé (€)",
        "Montant accordé, en euros (vide si aucun) ; le total ne compte que les subventions maintenues "
        "(ni classées sans suite, ni projet non réalisé).",
        lambda r: r["granted"],
    ),
    Column("Versé (€)", "Total des versements, en euros.", lambda r: r["paid"]),
    Column(
        "Reste à verser (€)",
        "Accordé moins versé, pour une subvention maintenue ; "
        "sur la ligne « Reste de l’enveloppe » : l’enveloppe moins le total accordé.",
        lambda r: r["remaining"],
    ),
]

EXPORTS = [
    ("Dossiers de microprojets (liste filtrée)", APPLICATION_COLUMNS),
    ("Budget d’un appel à projets", BUDGET_COLUMNS),
]


def export_applications(queryset):
    """The applications of a (filtered, ordered) queryset, with what the columns read, in a constant number of
    queries."""
    return queryset.select_related("call", "quartier", "pillar", "assigned_to").prefetch_related(None)


def call_budget(call: Call) -> dict:
    """A call's applications with their amounts, and its totals against the envelope."""
    applications = list(call.applications.order_by("reference"))
    rows = [
        {
            "reference": a.reference,
            "porteur": a.organisation_name,
            "status": a.get_status_display(),
            "requested": a.amount_requested,
            "granted": a.amount_granted,
            "paid": a.amount_paid,
            "remaining": left_to_pay(a),
        }
        for a in applications
    ]
    granted = sum((a.amount_granted for a in applications if a.status in FUNDED), Decimal(0))
    totals = {
        "requested": sum((a.amount_requested for a in applications), Decimal(0)),
        "granted": granted,
        "paid": sum((a.amount_paid for a in applications), Decimal(0)),
        "remaining": sum((r["remaining"] for r in rows), Decimal(0)),
        "envelope": call.envelope,
        "envelope_left": call.envelope - granted,
    }
    return {"call": call, "rows": rows, "totals": totals}


def budget_rows(budget: dict) -> list[dict]:
    """The budget's rows, then its total, the envelope and what is left of it, as rows of the same columns."""
    t, blank = budget["totals"], {"porteur": "", "status": "", "requested": None, "granted": None, "paid": None}
    return [
        *budget["rows"],
        {**blank, "reference": "Total", "requested": t["requested"], "granted": t["granted"], "paid": t["paid"],
         "remaining": t["remaining"]},
        {**blank, "reference": "Enveloppe", "requested": t["envelope"], "remaining": None},
        {**blank, "reference": "Reste de l’enveloppe", "remaining": t["envelope_left"]},
    ]  # fmt: skip


# --- Cells and files --------------------------------------------------------------------------------------------


def safe_text(text: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection); numbers are not text.
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")  # no grouping: the spreadsheet reads it as a number
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return safe_text(str(value))


def xlsx_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal | int):
        return value  # a number cell
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)  # XLSX has no time zones
    if isinstance(value, date):
        return value
    return safe_text(str(value))


def dataset(columns, objects, cell, title="") -> tablib.Dataset:
    data = tablib.Dataset(headers=[c.label for c in columns], title=title[:31])
    for obj in objects:
        data.append([cell(c.value(obj)) for c in columns])
    return data


def file_response(columns, objects, *, fmt: str, name: str, title: str) -> HttpResponse:
    """The CSV or XLSX file, as a download named after today's date, never kept by a cache (personal data)."""
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        content = "\ufeff" + dataset(columns, objects, csv_cell).export("csv", delimiter=";")
        response = HttpResponse(content.encode("utf-8"), content_type="text/csv; charset=utf-8")
    else:
        content = dataset(columns, objects, xlsx_cell, title).export("xlsx")
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def documentation() -> str:
    """docs/exports-microprojets.md, from the column lists (a test checks the file is this text)."""
    lines = [
        "# Exports des microprojets",
        "",
        "<!-- Généré depuis microprojets/exports.py : UPDATE_DOCS=1 .venv/bin/pytest "
        "tests/microprojets/test_exports.py -k documentation -->",
        "",
        "Réservés aux instructeurs (et aux administrateurs du site). Chaque export existe en CSV (UTF-8 avec BOM,",
        "cellules séparées par « ; », virgule décimale : un tableur français l’ouvre directement) et en XLSX. Les",
        "fichiers contiennent des données personnelles : ils ne sont gardés par aucun cache et portent la date du",
        "jour dans leur nom.",
        "",
        "- **Dossiers de microprojets** : boutons « Exporter (CSV) » et « Exporter (XLSX) » de la liste des",
        "  dossiers ; l’export reprend les filtres, la recherche et le tri de la page affichée.",
        "- **Budget d’un appel à projets** : boutons « Exporter le budget (CSV) » et « Exporter le budget (XLSX) »",
        "  de la page de l’appel, et liens « CSV », « XLSX » du tableau de bord de l’accueil de l’administration ;",
        "  un dossier par ligne, puis le total, l’enveloppe et ce qu’il en reste.",
        "",
    ]
    for title, columns in EXPORTS:
        lines += [f"## {title}", "", "| Colonne | Description |", "|---|---|"]
        lines += [f"| {c.label} | {c.description} |" for c in columns]
        lines.append("")
    return "\n".join(lines)
