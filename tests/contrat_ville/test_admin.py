import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pytest_django.asserts import assertContains

from contrat_ville.models import Pillar, Project, ProjectPhoto

pytestmark = pytest.mark.usefixtures("content")


def jpeg_with_gps(width=2000, height=1500):
    image = Image.new("RGB", (width, height), (200, 80, 40))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (47.0, 51.0, 46.0)}  # GPSInfo
    exif[0x010F] = "Appareil-Test"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def pdf_bytes():
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


def project_data(**extra):
    data = {
        "title": "Atelier photo",
        "slug": "atelier-photo",
        "year_start": 2023,
        "pillar": Pillar.objects.get(slug="cohesion-sociale").pk,
        "porteur_name": "Association",
        "porteur_kind": "association",
        "summary": "Un atelier.",
        "description": "<p>Texte<script>alert(1)</script></p>",
        "is_published": "on",
        "created_at": "01/01/2024 10:00",
        "status": "realise",
        "cofunders-TOTAL_FORMS": "0",
        "cofunders-INITIAL_FORMS": "0",
        "cofunders-MIN_NUM_FORMS": "0",
        "cofunders-MAX_NUM_FORMS": "1000",
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
        "photos-0-alt": "Des enfants photographient le quartier",
        "photos-0-order": "0",
    }
    data.update(extra)
    return data


def test_admin_photo_is_resized_to_webp_without_exif(admin_client):
    response = admin_client.post(
        reverse("admin:contrat_ville_project_add"), project_data(**{"photos-0-upload": jpeg_with_gps()})
    )
    assert response.status_code == 302, response.context["errors"]
    project = Project.objects.get(slug="atelier-photo")
    assert "script" not in project.description
    photo = project.photos.get()
    assert (photo.width, photo.height, photo.small_width, photo.small_height) == (1200, 900, 400, 300)
    for field in (photo.large, photo.small):
        with Image.open(field.path) as image:
            assert image.format == "WEBP"
            assert not image.getexif() and "exif" not in image.info
        assert not field.name.endswith("photo.jpg")
    detail = admin_client.get(project.get_absolute_url())
    assertContains(detail, f'srcset="{photo.small.url} 400w, {photo.large.url} 1200w"')
    assertContains(detail, 'width="1200" height="900"')
    assertContains(detail, 'loading="lazy"')


def test_admin_records_place_status_outcome_and_cofunders(admin_client):
    data = project_data(
        place="Square des Tulipes",
        outcome="<p>Trente familles ont participé.</p>",
        **{
            "photos-TOTAL_FORMS": "0",
            "cofunders-TOTAL_FORMS": "2",
            "cofunders-0-name": "Département de la Haute-Marne",
            "cofunders-0-amount": "1500",
            "cofunders-0-order": "0",
            "cofunders-1-name": "Caisse d’allocations familiales",
            "cofunders-1-order": "1",
        },
    )
    response = admin_client.post(reverse("admin:contrat_ville_project_add"), data)
    assert response.status_code == 302, response.context["errors"]
    project = Project.objects.get(slug="atelier-photo")
    assert (project.status, project.place) == ("realise", "Square des Tulipes")
    assert list(project.cofunders.values_list("name", "amount")) == [
        ("Département de la Haute-Marne", 1500),
        ("Caisse d’allocations familiales", None),
    ]


def test_admin_refuses_a_cofunder_amount_of_zero_in_its_row(admin_client):
    inline = {"cofunders-TOTAL_FORMS": "1", "cofunders-0-name": "État", "cofunders-0-amount": "0"}
    data = project_data(**{"photos-TOTAL_FORMS": "0", **inline})
    response = admin_client.post(reverse("admin:contrat_ville_project_add"), data)
    assert response.status_code == 200
    assert "supérieur à 0 €" in str(response.context["inline_admin_formsets"][0].formset.errors)
    assert not Project.objects.filter(slug="atelier-photo").exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("photo.jpg", b"<html>pas une image</html>"), "n’est pas une image JPEG, PNG"),
        (SimpleUploadedFile("doc.pdf", b"%PDF-1.4 ..."), "n’est pas une image JPEG, PNG"),
    ],
)
def test_admin_refuses_files_that_are_not_images_and_saves_nothing(admin_client, upload, message):
    response = admin_client.post(
        reverse("admin:contrat_ville_project_add"), project_data(**{"photos-0-upload": upload})
    )
    assert response.status_code == 200
    assertContains(response, message)
    assert not Project.objects.exists() and not ProjectPhoto.objects.exists()


def test_admin_refuses_an_image_over_40_megapixels(admin_client):
    # A PNG of 8000 × 5001 pixels: a few kilobytes on disk, 40 million pixels once decoded.
    out = io.BytesIO()
    Image.new("1", (8000, 5001)).save(out, format="PNG")
    upload = SimpleUploadedFile("bombe.png", out.getvalue(), content_type="image/png")
    response = admin_client.post(
        reverse("admin:contrat_ville_project_add"), project_data(**{"photos-0-upload": upload})
    )
    assertContains(response, "plus de 40 mégapixels")
    assert not Project.objects.exists()


def test_admin_photo_requires_alt_text(admin_client):
    response = admin_client.post(
        reverse("admin:contrat_ville_project_add"),
        project_data(**{"photos-0-upload": jpeg_with_gps(100, 80), "photos-0-alt": ""}),
    )
    assert response.status_code == 200
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    "name",
    ["contract", "partner", "pillar", "theme", "conseilcitoyen", "video", "project"],
)
def test_admin_pages_render(admin_client, name):
    assert admin_client.get(reverse(f"admin:contrat_ville_{name}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:contrat_ville_{name}_add")).status_code == 200


def test_contract_document_must_really_be_a_pdf(admin_client):
    from contrat_ville.models import Contract

    contract = Contract.objects.get(reference="CV165")
    data = {
        "title": contract.title,
        "reference": contract.reference,
        "start": "01/01/2015",
        "planned_end": "31/12/2020",
        "extended_end": "31/12/2023",
        "summary": contract.summary,
        "text": contract.text,
        "order": 2,
        "documents-TOTAL_FORMS": "1",
        "documents-INITIAL_FORMS": "0",
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "1000",
        "documents-0-title": "Contrat signé",
        "documents-0-order": "0",
    }
    url = reverse("admin:contrat_ville_contract_change", args=[contract.pk])
    fake = SimpleUploadedFile("contrat.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = admin_client.post(url, {**data, "documents-0-file": fake})
    assertContains(response, "n’est pas un document PDF lisible")
    assert not contract.documents.exists()
    real = SimpleUploadedFile("contrat.pdf", pdf_bytes(), content_type="application/pdf")
    assert admin_client.post(url, {**data, "documents-0-file": real}).status_code == 302
    page = admin_client.get(reverse("contrat_ville:index"))
    assertContains(page, "Contrat signé")
    assertContains(page, contract.documents.get().file.url)


def test_admin_change_page_of_a_project_with_a_photo_renders(admin_client):
    response = admin_client.post(
        reverse("admin:contrat_ville_project_add"), project_data(**{"photos-0-upload": jpeg_with_gps(600, 400)})
    )
    assert response.status_code == 302
    project = Project.objects.get()
    response = admin_client.get(reverse("admin:contrat_ville_project_change", args=[project.pk]))
    assertContains(response, project.photos.get().small.url)
    # Saving again without a new upload keeps the photo.
    data = project_data(
        **{
            "photos-TOTAL_FORMS": "1",
            "photos-INITIAL_FORMS": "1",
            "photos-0-id": str(project.photos.get().pk),
            "photos-0-project": str(project.pk),
            "photos-0-alt": "Nouveau texte",
        }
    )
    response = admin_client.post(reverse("admin:contrat_ville_project_change", args=[project.pk]), data)
    assert response.status_code == 302
    assert project.photos.get().alt == "Nouveau texte"


def test_deleting_a_project_removes_its_photo_files(admin_client, django_capture_on_commit_callbacks):
    response = admin_client.post(
        reverse("admin:contrat_ville_project_add"), project_data(**{"photos-0-upload": jpeg_with_gps(500, 400)})
    )
    assert response.status_code == 302
    photo = ProjectPhoto.objects.get()
    paths = [photo.small.path, photo.large.path]
    assert all(Path(p).exists() for p in paths)
    with django_capture_on_commit_callbacks(execute=True):
        Project.objects.all().delete()
    assert not any(Path(p).exists() for p in paths)
