"""Initial neighbourhoods, their status history and key figures, and the commune boundary (file quartiers.toml)."""

from langres_portal.core.content import create_missing

from .models import Commune, KeyFigure, Quartier, StatusPeriod


def load(data: dict) -> int:
    section = data.get("quartiers", {})
    created = 0
    commune = section.get("commune")
    if commune:
        created += create_missing(Commune, {"code_insee": commune["code_insee"]}, commune)
    for item in section.get("items", []):
        item = dict(item)
        history = item.pop("history", [])
        figures = item.pop("figures", [])
        created += create_missing(Quartier, {"slug": item["slug"]}, item)
        quartier = Quartier.objects.get(slug=item["slug"])
        # Like pages, a list is filled only when it is empty: rows the staff edited or added are kept.
        if history and not quartier.status_history.exists():
            quartier.status_history.bulk_create([StatusPeriod(quartier=quartier, **p) for p in history])
            created += len(history)
        if figures and not quartier.figures.exists():
            quartier.figures.bulk_create([KeyFigure(quartier=quartier, **f) for f in figures])
            created += len(figures)
    return created
