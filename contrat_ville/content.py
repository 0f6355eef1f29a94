"""Initial contract content (file contrat_ville.toml): created once, never overwritten."""

from langres_portal.core.content import create_missing

from .models import ConseilCitoyen, Contract, Partner, Pillar, Theme, Video


def _create_if_empty(model, rows) -> int:
    """Rows without a stable key (staff may rename them) are loaded only into an empty table."""
    if not rows or model.objects.exists():
        return 0
    for row in rows:
        model.objects.create(**row)
    return len(rows)


def load(data: dict) -> int:
    section = data.get("contrat_ville", {})
    created = 0
    for pillar in section.get("pillars", []):
        created += create_missing(Pillar, {"slug": pillar["slug"]}, pillar)
    for theme in section.get("themes", []):
        created += create_missing(Theme, {"slug": theme["slug"]}, theme)
    created += _create_if_empty(Contract, section.get("contracts", []))
    created += _create_if_empty(Partner, section.get("partners", []))
    created += _create_if_empty(Video, section.get("videos", []))
    if "conseil_citoyen" in section:
        created += _create_if_empty(ConseilCitoyen, [section["conseil_citoyen"]])
    return created
