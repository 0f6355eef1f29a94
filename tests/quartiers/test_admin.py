"""Staff edit neighbourhoods and the street directory in the admin; an invalid perimeter is refused."""

import json

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from quartiers.maps import thumbnail
from quartiers.models import Commune, Quartier, Street
from tests.quartiers.factories import SQUARE, CommuneFactory, QuartierFactory, StreetFactory

pytestmark = pytest.mark.usefixtures("content")

INLINES = ["status_history", "figures", "photos"]


def quartier_form_data(quartier, **changes):
    data = {
        "name": quartier.name,
        "slug": quartier.slug,
        "status": quartier.status,
        "code_qpv": quartier.code_qpv,
        "summary": quartier.summary,
        "presentation": quartier.presentation,
        "perimeter": quartier.perimeter,
        "perimeter_source": quartier.perimeter_source,
        "perimeter_description": quartier.perimeter_description,
        "official_map_url": quartier.official_map_url,
        "order": quartier.order,
        "is_published": "on",
    }
    for prefix in INLINES:
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update(changes)
    return data


@pytest.fixture
def qn():
    quartier = Quartier.objects.get(slug="quartiers-neufs")
    quartier.status_history.all().delete()
    quartier.figures.all().delete()
    quartier.perimeter = json.dumps(SQUARE)
    quartier.save()
    return quartier


def test_an_invalid_perimeter_is_refused_and_the_existing_one_stays(admin_client, qn):
    kept_drawing = thumbnail(SQUARE, Commune.current().geometry)["path"]
    swapped = {"type": "Polygon", "coordinates": [[[y, x] for x, y in SQUARE["coordinates"][0]]]}
    url = reverse("admin:quartiers_quartier_change", args=[qn.pk])
    response = admin_client.post(url, quartier_form_data(qn, perimeter=json.dumps(swapped)))
    assertContains(response, "Longitude et latitude semblent inversées")
    assertContains(response, kept_drawing)  # the preview shows the kept perimeter, not the refused one
    response = admin_client.post(
        url, quartier_form_data(qn, perimeter='{"type": "Polygon", "coordinates": [[[5.3, 47.8]')
    )
    assert response.status_code == 200
    assertContains(response, "n’est pas du JSON valide")
    qn.refresh_from_db()
    assert qn.geometry == SQUARE


def test_the_change_page_previews_the_stored_perimeter(admin_client, qn):
    CommuneFactory()
    response = admin_client.get(reverse("admin:quartiers_quartier_change", args=[qn.pk]))
    assertContains(response, 'aria-label="Tracé de Quartiers Neufs dans la commune"')


def test_an_unclosed_ring_is_refused_with_its_position(admin_client, qn):
    ring = [[5.33, 47.85], [5.34, 47.85], [5.34, 47.86], [5.33, 47.86]]
    data = quartier_form_data(qn, perimeter=json.dumps({"type": "Polygon", "coordinates": [ring]}))
    response = admin_client.post(reverse("admin:quartiers_quartier_change", args=[qn.pk]), data)
    assertContains(response, "Polygone, anneau 1 : l’anneau n’est pas fermé")


def test_a_valid_perimeter_pasted_as_a_feature_is_saved(admin_client, qn):
    other = {"type": "Feature", "properties": {}, "geometry": {**SQUARE}}
    response = admin_client.post(
        reverse("admin:quartiers_quartier_change", args=[qn.pk]), quartier_form_data(qn, perimeter=json.dumps(other))
    )
    assert response.status_code == 302
    qn.refresh_from_db()
    assert qn.geometry == SQUARE


def test_a_reserved_slug_is_refused(admin_client, qn):
    data = quartier_form_data(qn, slug="mon-adresse")
    response = admin_client.post(reverse("admin:quartiers_quartier_change", args=[qn.pk]), data)
    assertContains(response, "est réservée par le site")


def test_a_photo_needs_its_alt_text(admin_client, qn):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", (4, 3), (10, 20, 30, 128)).save(out, format="PNG")
    png = out.getvalue()
    data = quartier_form_data(qn, **{"photos-TOTAL_FORMS": 1, "photos-0-alt": "", "photos-0-order": 0})
    data["photos-0-image"] = SimpleUploadedFile("vue.png", png, content_type="image/png")
    response = admin_client.post(reverse("admin:quartiers_quartier_change", args=[qn.pk]), data)
    assert response.status_code == 200
    assertContains(response, "Donnez un texte alternatif")
    assert not qn.photos.exists()
    data["photos-0-image"] = SimpleUploadedFile("vue.png", png, content_type="image/png")
    data["photos-0-is_decorative"] = "on"  # an explicit « décorative » box: saved without alt, shown with alt=""
    response = admin_client.post(reverse("admin:quartiers_quartier_change", args=[qn.pk]), data)
    assert response.status_code == 302
    assert qn.photos.get().is_decorative


def test_a_street_range_out_of_order_is_refused(admin_client, qn):
    data = {"name": "Rue des Lilas", "quartier": qn.pk, "number_from": 40, "number_to": 2, "side": "both"}
    response = admin_client.post(reverse("admin:quartiers_street_add"), data)
    assertContains(response, "Le numéro de fin doit être supérieur ou égal au numéro de début.")
    data["number_to"] = 60
    assert admin_client.post(reverse("admin:quartiers_street_add"), data).status_code == 302
    assert Street.objects.get().normalized_name == "rue lilas"


def test_admin_pages_open(admin_client, qn):
    commune = CommuneFactory()
    street = StreetFactory(quartier=qn)
    QuartierFactory()
    for name, args in [
        ("admin:quartiers_quartier_changelist", []),
        ("admin:quartiers_quartier_add", []),
        ("admin:quartiers_quartier_change", [qn.pk]),
        ("admin:quartiers_street_changelist", []),
        ("admin:quartiers_street_add", []),
        ("admin:quartiers_street_change", [street.pk]),
        ("admin:quartiers_commune_changelist", []),
        ("admin:quartiers_commune_change", [commune.pk]),
    ]:
        assert admin_client.get(reverse(name, args=args)).status_code == 200, name


def test_a_neighbourhood_that_projects_use_cannot_be_deleted_and_the_admin_says_which(admin_client):
    from django.db.models import ProtectedError

    from contrat_ville.models import Pillar
    from tests.contrat_ville.factories import ProjectFactory

    quartier = QuartierFactory()
    project = ProjectFactory(title="Jardin partagé des Ouches")
    project.quartiers.add(quartier)
    url = reverse("admin:quartiers_quartier_delete", args=[quartier.pk])
    page = admin_client.get(url)
    assertContains(page, "Jardin partagé des Ouches")
    assertContains(page, "objets liés et protégés")  # Django's own wording, in French, and no confirm button
    admin_client.post(url, {"post": "yes"})
    bulk = {"action": "delete_selected", "_selected_action": [quartier.pk], "post": "yes"}
    admin_client.post(reverse("admin:quartiers_quartier_changelist"), bulk)
    with pytest.raises(ProtectedError):
        quartier.delete()
    assert Quartier.objects.filter(pk=quartier.pk).exists() and quartier in project.quartiers.all()
    pillar_page = admin_client.get(reverse("admin:contrat_ville_pillar_delete", args=[project.pillar_id]))
    assertContains(pillar_page, "objets liés et protégés")
    with pytest.raises(ProtectedError):
        Pillar.objects.get(pk=project.pillar_id).delete()

    project.quartiers.clear()  # once no project uses it, it goes
    admin_client.post(url, {"post": "yes"})
    assert not Quartier.objects.filter(pk=quartier.pk).exists()
