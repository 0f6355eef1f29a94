"""What the maps draw: GeoJSON features for Leaflet, and small server-side SVG outlines (no tiles, no JS)."""

import math

from .geo import bounds

THUMBNAIL_SIZE = 160  # px, the viewBox of the small outlines


def commune_feature(commune) -> dict:
    return {
        "type": "Feature",
        "geometry": commune.geometry,
        "properties": {"nom": commune.name, "statut": "commune", "code_insee": commune.code_insee},
    }


def _polygons(geometry):
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def _svg_path(geometry, project) -> str:
    parts = []
    for polygon in _polygons(geometry):
        for ring in polygon:
            points = [project(p) for p in ring]
            parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "Z")
    return "".join(parts)


def thumbnail(geometry: dict | None, context: dict | None = None) -> dict | None:
    """SVG paths of a perimeter drawn inside its context (the commune), scaled to THUMBNAIL_SIZE.

    Returns {"size", "context_path", "path"} or None when there is nothing to draw.
    """
    frame = context or geometry
    if not frame:
        return None
    x0, y0, x1, y1 = bounds(frame)
    if geometry:
        gx0, gy0, gx1, gy1 = bounds(geometry)
        x0, y0, x1, y1 = min(x0, gx0), min(y0, gy0), max(x1, gx1), max(y1, gy1)
    # Equirectangular projection, corrected for the latitude: good enough at the scale of a commune.
    k = math.cos(math.radians((y0 + y1) / 2))
    width, height = max((x1 - x0) * k, 1e-9), max(y1 - y0, 1e-9)
    margin = 6
    scale = (THUMBNAIL_SIZE - 2 * margin) / max(width, height)
    dx = (THUMBNAIL_SIZE - width * scale) / 2
    dy = (THUMBNAIL_SIZE - height * scale) / 2

    def project(p):
        return dx + (p[0] - x0) * k * scale, dy + (y1 - p[1]) * scale

    return {
        "size": THUMBNAIL_SIZE,
        "context_path": _svg_path(context, project) if context else "",
        "path": _svg_path(geometry, project) if geometry else "",
    }
