"""Initial contract content (file contrat_ville.toml)."""

from langres_portal.core.content import create_missing

from .models import Pillar


def load(data: dict) -> int:
    created = 0
    for pillar in data.get("contrat_ville", {}).get("pillars", []):
        created += create_missing(Pillar, {"slug": pillar["slug"]}, pillar)
    return created
