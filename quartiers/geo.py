"""GeoJSON perimeters: validation of what staff paste, and streamed reading of big FeatureCollections."""

import json
import math
from collections.abc import Iterator
from typing import BinaryIO

from django.core.exceptions import ValidationError

# Bounding boxes (lon min, lat min, lon max, lat max) of France: mainland with Corsica, then the overseas
# departments where priority neighbourhoods exist. A point outside all of them is refused.
FRANCE_BOXES = [
    ("France métropolitaine", (-5.8, 41.2, 10.0, 51.3)),
    ("Guadeloupe", (-61.9, 15.8, -60.9, 16.6)),
    ("Martinique", (-61.3, 14.3, -60.7, 14.9)),
    ("Guyane", (-54.7, 2.0, -51.5, 5.9)),
    ("La Réunion", (55.1, -21.5, 55.9, -20.8)),
    ("Mayotte", (44.9, -13.1, 45.4, -12.5)),
    ("Saint-Martin", (-63.2, 18.0, -62.9, 18.2)),
]
ACCEPTED_TYPES = ("Polygon", "MultiPolygon")


def _reject_constant(name):
    raise ValueError(f"la valeur {name} n’est pas un nombre utilisable")


def _in_france(lon, lat):
    return any(x0 <= lon <= x1 and y0 <= lat <= y1 for _name, (x0, y0, x1, y1) in FRANCE_BOXES)


def _check_position(position, where):
    if not isinstance(position, list) or len(position) not in (2, 3):
        raise ValidationError(f"{where} : chaque point doit être une paire [longitude, latitude].")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in position):
        raise ValidationError(f"{where} : les coordonnées doivent être des nombres.")
    lon, lat = position[0], position[1]
    if not _in_france(lon, lat):
        hint = ""
        if _in_france(lat, lon):
            hint = " Longitude et latitude semblent inversées : GeoJSON attend [longitude, latitude]."
        elif abs(lon) > 180 or abs(lat) > 90:
            hint = " Ces valeurs ne sont pas des degrés : convertissez les coordonnées en WGS84 (EPSG:4326)."
        raise ValidationError(
            f"{where} : le point [{lon}, {lat}] est hors de France (coordonnées WGS84 longitude, latitude "
            f"attendues).{hint}"
        )


def _check_polygon(rings, label):
    if not isinstance(rings, list) or not rings:
        raise ValidationError(f"{label} : un polygone est une liste d’anneaux, et il n’en contient aucun.")
    for r, ring in enumerate(rings, start=1):
        where = f"{label}, anneau {r}"
        if not isinstance(ring, list) or len(ring) < 4:
            raise ValidationError(f"{where} : un anneau doit avoir au moins 4 points (le dernier répète le premier).")
        for p, position in enumerate(ring, start=1):
            _check_position(position, f"{where}, point {p}")
        if ring[0][:2] != ring[-1][:2]:
            raise ValidationError(
                f"{where} : l’anneau n’est pas fermé, le dernier point doit être identique au premier "
                f"({ring[0][:2]} ≠ {ring[-1][:2]})."
            )


def parse_geometry(text: str) -> dict:
    """Read a GeoJSON Polygon or MultiPolygon (or a Feature holding one) and check it; return the geometry.

    Raise ValidationError with a French message that says what is wrong.
    """
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"Ce texte n’est pas du JSON valide (ligne {exc.lineno}, colonne {exc.colno}) : vérifiez les "
            "accolades, crochets et virgules, ou copiez à nouveau le fichier GeoJSON."
        ) from exc
    except ValueError as exc:
        raise ValidationError(f"Ce texte n’est pas du JSON utilisable : {exc}.") from exc
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        raise ValidationError(
            "C’est une collection d’objets (FeatureCollection) : collez seulement la géométrie du quartier "
            "(Polygon ou MultiPolygon), ou utilisez la commande import_qpv_perimeter."
        )
    if not isinstance(data, dict) or data.get("type") not in ACCEPTED_TYPES:
        found = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise ValidationError(
            f"Le périmètre doit être une géométrie GeoJSON de type Polygon ou MultiPolygon (type reçu : {found})."
        )
    coordinates = data.get("coordinates")
    if data["type"] == "Polygon":
        _check_polygon(coordinates, "Polygone")
    else:
        if not isinstance(coordinates, list) or not coordinates:
            raise ValidationError("MultiPolygon : la liste des polygones est vide.")
        for i, polygon in enumerate(coordinates, start=1):
            _check_polygon(polygon, f"Polygone {i}")
    return {"type": data["type"], "coordinates": coordinates}


def validate_perimeter(text: str) -> None:
    """Model-field validator: an empty value is allowed (no perimeter yet)."""
    if text and text.strip():
        parse_geometry(text)


def normalize_perimeter(text: str) -> str:
    """The checked geometry, as compact JSON (what is stored and served)."""
    if not text or not text.strip():
        return ""
    return json.dumps(parse_geometry(text), separators=(",", ":"))


def bounds(geometry: dict) -> tuple[float, float, float, float]:
    """(lon min, lat min, lon max, lat max) of a Polygon or MultiPolygon."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    lons = [p[0] for polygon in polygons for ring in polygon for p in ring]
    lats = [p[1] for polygon in polygons for ring in polygon for p in ring]
    return min(lons), min(lats), max(lons), max(lats)


# --- Streaming ----------------------------------------------------------------------------------------------------


class StreamError(ValueError):
    """The file is not a readable GeoJSON FeatureCollection."""


class _Reader:
    """A text buffer over a binary file, refilled on demand, that decodes one JSON value at a time."""

    def __init__(self, fh: BinaryIO, chunk_size: int):
        import codecs

        self.fh = fh
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.chunk_size = chunk_size
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.json = json.JSONDecoder(parse_constant=_reject_constant)

    def _fill(self, size=None):
        if self.eof:
            return False
        data = self.fh.read(size or self.chunk_size)
        if not data:
            self.eof = True
            self.buf = self.buf[self.pos :] + self.decoder.decode(b"", final=True)
            self.pos = 0
            return False
        self.buf = self.buf[self.pos :] + self.decoder.decode(data)
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next non-blank character ('' at the end of the file)."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._fill():
                return ""

    def expect(self, char: str):
        found = self.peek()
        if found != char:
            raise StreamError(f"« {char} » attendu, « {found or 'fin du fichier'} » trouvé")
        self.pos += 1

    def value(self):
        """Decode the next JSON value, reading more of the file until it is complete."""
        self.peek()
        size = self.chunk_size
        while True:
            try:
                value, end = self.json.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                # Incomplete value at the end of the buffer: read more (doubling) and try again.
                # (An error in the last few characters may be a literal, a number or a \uXXXX escape cut in two.)
                truncated = exc.pos >= len(self.buf) - 8 or exc.msg.startswith("Unterminated string")
                if truncated and self._fill(size):
                    size *= 2
                    continue
                raise StreamError(f"JSON invalide : {exc.msg}") from exc
            except ValueError as exc:
                raise StreamError(str(exc)) from exc
            if end == len(self.buf) and not self.eof and not isinstance(value, dict | list | str):
                # A number cut by the buffer end could be incomplete.
                if self._fill(size):
                    continue
            self.pos = end
            return value


def iter_features(fh: BinaryIO, chunk_size: int = 1 << 20) -> Iterator[dict]:
    """Yield the features of a GeoJSON FeatureCollection one by one, never holding the whole file in memory."""
    reader = _Reader(fh, chunk_size)
    reader.expect("{")
    found = False
    while reader.peek() != "}":
        key = reader.value()
        if not isinstance(key, str):
            raise StreamError("clé attendue dans l’objet principal")
        reader.expect(":")
        if key == "features":
            found = True
            reader.expect("[")
            while reader.peek() != "]":
                feature = reader.value()
                if not isinstance(feature, dict):
                    raise StreamError("chaque élément de « features » doit être un objet Feature")
                yield feature
                if reader.peek() == ",":
                    reader.pos += 1
                elif reader.peek() != "]":
                    raise StreamError("« , » ou « ] » attendu entre les objets")
            reader.expect("]")
        else:
            reader.value()  # name, crs, metadata…: small, read and dropped
        if reader.peek() == ",":
            reader.pos += 1
        elif reader.peek() != "}":
            raise StreamError("« , » ou « } » attendu dans l’objet principal")
    if not found:
        raise StreamError("aucune liste « features » : ce n’est pas une FeatureCollection")
