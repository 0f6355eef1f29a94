"""Perimeter validation (what staff paste) and the streamed reading of big FeatureCollections."""

import io
import json

import pytest
from django.core.exceptions import ValidationError

from quartiers.geo import StreamError, iter_features, normalize_perimeter, parse_geometry
from quartiers.models import Quartier
from tests.quartiers.factories import SQUARE, QuartierFactory


def ring(*points):
    return [list(p) for p in points]


def test_a_valid_polygon_is_accepted_and_stored_compact():
    assert normalize_perimeter(json.dumps(SQUARE, indent=2)) == json.dumps(SQUARE, separators=(",", ":"))


def test_a_feature_is_accepted_for_its_geometry():
    assert parse_geometry(json.dumps({"type": "Feature", "properties": {}, "geometry": SQUARE})) == SQUARE


def test_a_multipolygon_is_accepted():
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"], SQUARE["coordinates"]]}
    assert parse_geometry(json.dumps(multi))["type"] == "MultiPolygon"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{pas du json", "n’est pas du JSON valide (ligne 1, colonne 2)"),
        ('{"type": "Point", "coordinates": [5.3, 47.8]}', "type reçu : Point"),
        ("[1, 2]", "type reçu : list"),
        ('{"type": "FeatureCollection", "features": []}', "collection d’objets"),
        ('{"type": "Polygon", "coordinates": []}', "n’en contient aucun"),
        (
            json.dumps({"type": "Polygon", "coordinates": [ring((5.33, 47.85), (5.34, 47.85), (5.34, 47.86))]}),
            "au moins 4 points",
        ),
        (
            json.dumps(
                {"type": "Polygon", "coordinates": [ring((5.33, 47.85), (5.34, 47.85), (5.34, 47.86), (5.33, 47.86))]}
            ),
            "n’est pas fermé",
        ),
        (
            json.dumps(
                {"type": "Polygon", "coordinates": [ring((47.85, 5.33), (47.85, 5.34), (47.86, 5.34), (47.85, 5.33))]}
            ),
            "semblent inversées",
        ),
        (
            json.dumps(
                {
                    "type": "Polygon",
                    "coordinates": [ring((845000, 6760000), (846000, 6760000), (846000, 6761000), (845000, 6760000))],
                }
            ),
            "convertissez les coordonnées en WGS84",
        ),
        (
            json.dumps(
                {"type": "Polygon", "coordinates": [ring((13.4, 52.5), (13.5, 52.5), (13.5, 52.6), (13.4, 52.5))]}
            ),
            "hors de France",
        ),
        ('{"type": "Polygon", "coordinates": [[[5.33, NaN], [5.34, 47.85], [5.34, 47.86], [5.33, NaN]]]}', "NaN"),
        (
            '{"type": "Polygon", "coordinates": [[["5.33", 47.85], [5.34, 47.85], [5.34, 47.86], ["5.33", 47.85]]]}',
            "des nombres",
        ),
    ],
)
def test_an_invalid_perimeter_is_refused_with_a_message_that_says_why(text, message):
    with pytest.raises(ValidationError) as exc:
        parse_geometry(text)
    assert message in " ".join(exc.value.messages)


def test_an_overseas_perimeter_is_in_france():
    reunion = {
        "type": "Polygon",
        "coordinates": [ring((55.45, -20.9), (55.46, -20.9), (55.46, -20.88), (55.45, -20.9))],
    }
    assert parse_geometry(json.dumps(reunion)) == reunion


@pytest.mark.django_db
def test_saving_an_invalid_perimeter_fails_and_keeps_the_stored_one():
    quartier = QuartierFactory(with_perimeter=True)
    quartier.perimeter = '{"type": "Point", "coordinates": [5.3, 47.8]}'
    with pytest.raises(ValidationError):
        quartier.save()
    assert Quartier.objects.get(pk=quartier.pk).geometry == SQUARE


def feature(code, geometry=SQUARE):
    properties = {
        "code_qp": code,
        "lib_qp": "Quartier Neuf – Élancé",
        "vide": None,
        "oui": True,
        "non": False,
        "n": 12,
    }
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection_bytes(features, **top):
    return json.dumps({"type": "FeatureCollection", **top, "features": features}, indent=1).encode()


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 5, 7, 64, 1 << 20])
def test_features_are_read_one_by_one_whatever_the_chunk_size(chunk_size):
    data = collection_bytes(
        [feature(f"QN0000{i}M") for i in range(5)], name="qp2024", crs={"type": "name", "properties": {"n": "x"}}
    )
    codes = [f["properties"]["code_qp"] for f in iter_features(io.BytesIO(data), chunk_size=chunk_size)]
    assert codes == [f"QN0000{i}M" for i in range(5)]


def test_the_reader_stops_without_reading_the_rest_of_the_file():
    class CountingFile(io.BytesIO):
        read_bytes = 0

        def read(self, size=-1):
            chunk = super().read(size)
            self.read_bytes += len(chunk)
            return chunk

    features = [feature("QN05203M")] + [feature(f"QN9{i:04d}M") for i in range(2000)]
    fh = CountingFile(collection_bytes(features))
    first = next(iter_features(fh, chunk_size=4096))
    assert first["properties"]["code_qp"] == "QN05203M"
    assert fh.read_bytes < len(fh.getvalue()) / 10


@pytest.mark.parametrize(
    "data",
    [
        b"[1, 2]",
        b'{"type": "FeatureCollection"}',
        b'{"features": [{"type": "Feature"} {"a": 1}]}',
        b'{"features": [1]}',
        b"",
    ],
)
def test_a_file_that_is_not_a_feature_collection_is_reported(data):
    with pytest.raises(StreamError):
        list(iter_features(io.BytesIO(data)))
