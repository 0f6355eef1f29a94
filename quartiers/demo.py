"""Example data for a demonstration: example streets and an example perimeter, always marked « Exemple »."""

import json

from .geo import bounds
from .models import Commune, Quartier, Street

EXAMPLE_SOURCE = "Tracé d’exemple (données de démonstration), sans valeur officielle"
# (street name, zone, from, to, side); zone "qpv"/"veille" = the first neighbourhood of that status, None = outside.
EXAMPLE_STREETS = [
    ("Rue des Capucines", "qpv", None, None, Street.Side.BOTH),
    ("Allée des Jonquilles", "qpv", None, None, Street.Side.BOTH),
    ("Avenue des Glycines", "qpv", 1, 49, Street.Side.ODD),
    ("Avenue des Glycines", None, 2, 60, Street.Side.EVEN),
    ("Impasse des Lilas", "veille", None, None, Street.Side.BOTH),
    ("Rue des Érables", None, None, None, Street.Side.BOTH),
]


def example_polygon(commune_geometry: dict) -> dict:
    """A small square in the middle of the commune: visibly a sketch, never a real perimeter."""
    x0, y0, x1, y1 = bounds(commune_geometry)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    dx, dy = (x1 - x0) / 12, (y1 - y0) / 12
    ring = [[cx - dx, cy - dy], [cx + dx, cy - dy], [cx + dx, cy + dy], [cx - dx, cy + dy], [cx - dx, cy - dy]]
    return {"type": "Polygon", "coordinates": [[[round(x, 5), round(y, 5)] for x, y in ring]]}


def generate(**options) -> str:
    zones = {}
    for status in (Quartier.Status.QPV, Quartier.Status.VEILLE):
        zones[status.value] = Quartier.objects.filter(status=status).order_by("order", "pk").first()
    created = 0
    for name, zone, number_from, number_to, side in EXAMPLE_STREETS:
        quartier = zones.get(zone) if zone else None
        if zone and quartier is None:
            continue
        _street, is_new = Street.objects.get_or_create(
            name=name,
            number_from=number_from,
            number_to=number_to,
            side=side,
            is_example=True,
            defaults={"quartier": quartier},
        )
        created += is_new
    lines = [f"Quartiers : {created} rue(s) d’exemple ajoutée(s)."]
    commune = Commune.current()
    qpv = zones.get("qpv")
    if qpv and not qpv.perimeter and commune and commune.geometry:
        qpv.perimeter = json.dumps(example_polygon(commune.geometry))
        qpv.perimeter_is_example = True
        qpv.perimeter_source = EXAMPLE_SOURCE
        qpv.save(update_fields=["perimeter", "perimeter_is_example", "perimeter_source", "updated_at"])
        lines.append(f"Quartiers : tracé d’exemple ajouté à {qpv.name} (à remplacer par le tracé officiel).")
    return "\n".join(lines)
