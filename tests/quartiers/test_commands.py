"""import_qpv_perimeter, the initial content and the demo data of the quartiers app."""

import json

import pytest
from django.core.management import CommandError, call_command

from quartiers.models import Commune, Quartier, Street
from quartiers.services import lookup_address
from tests.quartiers.factories import SQUARE

pytestmark = pytest.mark.usefixtures("content")

OTHER = {"type": "Polygon", "coordinates": [[[2.3, 48.8], [2.4, 48.8], [2.4, 48.9], [2.3, 48.8]]]}


def write_national_file(path, features):
    """A small FeatureCollection shaped like the ANCT's national QPV file."""
    data = {
        "type": "FeatureCollection",
        "name": "qp2024-france-hexagonale-outre-mer-wgs84-epsg4326",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"code_qp": code, "lib_qp": "Q", "insee_com": "00000"},
                "geometry": geometry,
            }
            for code, geometry in features
        ],
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_import_attaches_the_official_perimeter_and_records_the_file_as_source(tmp_path, capsys):
    path = write_national_file(
        tmp_path / "qp2024-france.geojson", [("QN07501M", OTHER), ("QN05203M", SQUARE), ("QN99999M", OTHER)]
    )
    qn = Quartier.objects.get(code_qpv="QN05203M")
    qn.perimeter, qn.perimeter_is_example = json.dumps(OTHER), True
    qn.save()
    call_command("import_qpv_perimeter", str(path), "--code", "qn05203m")
    qn.refresh_from_db()
    assert qn.geometry == SQUARE and not qn.perimeter_is_example
    assert qn.perimeter_source.startswith("Fichier qp2024-france.geojson de l’ANCT, daté du ")
    assert "Périmètre officiel de QN05203M importé pour Quartiers Neufs" in capsys.readouterr().out


def test_import_dry_run_changes_nothing(tmp_path, capsys):
    path = write_national_file(tmp_path / "qp.geojson", [("QN05203M", SQUARE)])
    call_command("import_qpv_perimeter", str(path), "--code", "QN05203M", "--dry-run")
    assert Quartier.objects.get(code_qpv="QN05203M").perimeter == ""
    assert "Simulation" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("features", "code", "message"),
    [
        ([("QN07501M", OTHER)], "QN05203M", "ne figure pas dans"),
        ([("QN05203M", SQUARE)], "QN00000X", "Aucun quartier n’a le code QPV QN00000X"),
        ([("QN05203M", {"type": "Point", "coordinates": [5.3, 47.8]})], "QN05203M", "type reçu : Point"),
    ],
)
def test_import_errors_are_clear_and_keep_the_existing_perimeter(tmp_path, features, code, message):
    qn = Quartier.objects.get(code_qpv="QN05203M")
    qn.perimeter = json.dumps(OTHER)
    qn.save()
    path = write_national_file(tmp_path / "qp.geojson", features)
    with pytest.raises(CommandError, match=message):
        call_command("import_qpv_perimeter", str(path), "--code", code)
    assert Quartier.objects.get(pk=qn.pk).geometry == OTHER


def test_import_of_a_file_that_is_not_geojson(tmp_path):
    path = tmp_path / "qp.geojson"
    path.write_text("<html>Erreur 404</html>")
    with pytest.raises(CommandError, match="n’est pas un fichier GeoJSON lisible"):
        call_command("import_qpv_perimeter", str(path), "--code", "QN05203M")
    with pytest.raises(CommandError, match="Impossible de lire"):
        call_command("import_qpv_perimeter", str(tmp_path / "absent.geojson"), "--code", "QN05203M")


def test_initial_content_has_the_history_figures_and_commune_boundary():
    qn = Quartier.objects.get(slug="quartiers-neufs")
    assert [(p.code_qpv, p.start_year, p.end_year) for p in qn.status_history.all()] == [
        ("QP052003", 2015, 2023),
        ("QN05203M", 2024, None),
    ]
    assert all(f.source and f.year for f in qn.figures.all()) and qn.figures.count() == 3
    commune = Commune.current()
    assert commune.code_insee == "52269" and commune.geometry["type"] == "Polygon"
    assert len(commune.geometry["coordinates"][0]) == 83
    assert Quartier.objects.get(slug="turenne").status_history.count() == 2


def test_initial_content_keeps_staff_edits_and_refills_an_emptied_list():
    qn = Quartier.objects.get(slug="quartiers-neufs")
    qn.figures.filter(order=1).update(label="Chiffre corrigé par le service")
    qn.status_history.all().delete()
    call_command("load_initial_content")
    assert qn.figures.get(order=1).label == "Chiffre corrigé par le service" and qn.figures.count() == 3
    assert qn.status_history.count() == 2


def test_demo_data_adds_marked_example_streets_and_an_example_polygon_once():
    call_command("generate_demo_data", projects=0, applications=0)
    call_command("generate_demo_data", projects=0, applications=0)
    assert Street.objects.count() == Street.objects.examples().count() == 6
    qn = Quartier.objects.get(slug="quartiers-neufs")
    assert qn.perimeter_is_example and "exemple" in qn.perimeter_source
    result = lookup_address("Rue des Capucines")
    assert result.status == "qpv" and result.street.is_example


def test_demo_data_never_replaces_an_official_perimeter():
    qn = Quartier.objects.get(slug="quartiers-neufs")
    qn.perimeter = json.dumps(SQUARE)
    qn.save()
    call_command("generate_demo_data", projects=0, applications=0)
    qn.refresh_from_db()
    assert qn.geometry == SQUARE and not qn.perimeter_is_example
