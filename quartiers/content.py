"""Initial neighbourhoods (file quartiers.toml)."""

from langres_portal.core.content import create_missing

from .models import Quartier


def load(data: dict) -> int:
    created = 0
    for quartier in data.get("quartiers", {}).get("items", []):
        created += create_missing(Quartier, {"slug": quartier["slug"]}, quartier)
    return created
