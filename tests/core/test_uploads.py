"""The one upload pipeline (core.uploads): every image and document field of the content models, through the admin
and through the model layer."""

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from pytest_django.asserts import assertContains

from contrat_ville.models import Partner, Video
from langres_portal.core import filetypes
from langres_portal.core.models import SiteIdentity
from langres_portal.core.uploads import (
    MAX_PIXELS,
    PublicFileField,
    PublicImageField,
    clean_document,
    clean_image,
    rendition_name,
)
from microprojets.models import CallDocument
from pre.models import TeamMember
from quartiers.models import Photo
from tests.microprojets.factories import PDF_BYTES, CallFactory
from tests.quartiers.factories import QuartierFactory

GPS_LATITUDE = (47.0, 51.0, 46.0)


def image_bytes(fmt="JPEG", size=(64, 48), mode="RGB", exif=None, color=(200, 80, 40)) -> bytes:
    image = Image.new(mode, size, color if mode in {"RGB", "RGBA"} else 128)
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def gps_jpeg(size=(60, 40), orientation=None) -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: GPS_LATITUDE}  # GPSInfo: where the photo was taken
    exif[0x010F] = "Appareil-Test"  # Make
    if orientation:
        exif[0x0112] = orientation
    return image_bytes("JPEG", size, exif=exif)


def png_header_only(width, height) -> bytes:
    """A tiny PNG whose header claims width × height pixels (a decompression bomb: it would expand in memory)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def upload(content: bytes, name="photo.jpg"):
    return SimpleUploadedFile(name, content)


def has_metadata(path) -> bool:
    with Image.open(path) as image:
        return bool(image.getexif()) or "exif" in image.info or "comment" in image.info


# --- The pipeline itself ---------------------------------------------------------------------------------------------


@given(
    width=st.integers(1, 700),
    height=st.integers(1, 700),
    fmt=st.sampled_from(["JPEG", "PNG", "WEBP", "GIF"]),
    mode=st.sampled_from(["1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I;16"]),
)
@settings(max_examples=40, deadline=None)
def test_any_image_of_any_size_and_mode_is_re_encoded(width, height, fmt, mode):
    image = Image.new(mode, (width, height))
    out = io.BytesIO()
    try:
        image.save(out, format=fmt)
    except (OSError, ValueError, KeyError):
        return  # Pillow cannot write this mode in this format: no such file can be uploaded either
    cleaned = clean_image(upload(out.getvalue(), "x.bin"), renditions=[100])
    with Image.open(io.BytesIO(cleaned.read())) as stored:
        stored.load()
        assert stored.size == (width, height)  # under the stored maximum width: never resized
        assert stored.format == {"JPEG": "JPEG", "PNG": "PNG", "GIF": "PNG", "WEBP": "WEBP"}[fmt]
        assert not stored.getexif()
    with Image.open(io.BytesIO(cleaned.renditions[100])) as small:
        assert small.format == "WEBP" and small.width == min(width, 100)
    assert cleaned.name.endswith("." + filetypes.EXTENSIONS[cleaned.content_type])


def test_gps_and_camera_tags_are_dropped_and_the_orientation_applied():
    raw = gps_jpeg((60, 40), orientation=6)  # « rotate 90° »: the camera stored it lying on its side
    with Image.open(io.BytesIO(raw)) as original:
        assert original.getexif().get_ifd(0x8825)  # the test would prove nothing without GPS in the input
    cleaned = clean_image(upload(raw))
    data = cleaned.read()
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.format == "JPEG" and stored.size == (40, 60)
        assert not stored.getexif() and "exif" not in stored.info
    assert b"Appareil-Test" not in data and b"GPS" not in data


def test_bytes_after_the_image_are_not_kept():
    raw = image_bytes("PNG") + b"<?php system($_GET['c']); ?>"
    assert b"<?php" not in clean_image(upload(raw, "logo.png")).read()


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",
        b"MZ\x90\x00\x03 an executable",
        PDF_BYTES,
        b"\xff\xd8\xff\xe0 a JPEG header and nothing else",
        b"",
    ],
    ids=["html", "exe", "pdf", "truncated-jpeg", "empty"],
)
def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(content):
    with pytest.raises(ValidationError) as error:
        clean_image(upload(content, "vacances.jpg"))
    assert error.value.code in {"invalid_type", "unreadable", "empty"}
    assert any(word in error.value.messages[0] for word in ("n’est pas une image", "illisible", "vide"))


@pytest.mark.parametrize(("width", "height"), [(8000, 7500), (10_000, 6000), (30_000, 30_000), (100_000, 1_000)])
def test_an_image_over_40_megapixels_is_refused_before_it_is_decoded(width, height):
    """60 Mpx and more, and a tiny file whose header claims a billion pixels (decompression bomb)."""
    assert width * height > MAX_PIXELS
    with pytest.raises(ValidationError) as error:
        clean_image(upload(png_header_only(width, height), "bombe.png"))
    assert error.value.code == "too_many_pixels"
    assert "trop grande" in error.value.messages[0]


def test_an_image_of_exactly_40_megapixels_is_accepted():
    Image.MAX_IMAGE_PIXELS, previous = None, Image.MAX_IMAGE_PIXELS
    try:
        out = io.BytesIO()
        Image.new("1", (8000, 5000)).save(out, format="PNG")
        assert clean_image(upload(out.getvalue(), "grande.png")).content_type == filetypes.PNG
    finally:
        Image.MAX_IMAGE_PIXELS = previous


def test_documents_are_recognised_by_their_bytes():
    assert clean_document(upload(PDF_BYTES, "reglement.bin")).name.endswith(".pdf")
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", filetypes.ODS)
        archive.writestr("content.xml", "<office:document-content/>")
    types = (filetypes.PDF, filetypes.ODS)
    assert clean_document(upload(ods.getvalue(), "budget.pdf"), types=types).content_type == filetypes.ODS
    for fake in (b"%PDF-1.4 nothing else", b"PK\x03\x04 not a zip", image_bytes()):
        with pytest.raises(ValidationError, match="n’est pas un document PDF"):
            clean_document(upload(fake, "reglement.pdf"))


def test_every_file_field_of_the_content_models_goes_through_the_pipeline():
    from django.apps import apps

    file_fields = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField) and not isinstance(field, PublicImageField | PublicFileField)
    ]
    # Applicants' attachments are private files with their own checks (microprojets.files, same core.filetypes).
    assert file_fields == ["microprojets.Attachment.file"]


# --- Through the model layer --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_photo_saved_in_code_is_cleaned_named_at_random_and_has_its_renditions():
    photo = Photo.objects.create(
        quartier=QuartierFactory(), image=ContentFile(gps_jpeg((900, 600)), name="Mme Dupont rue des Lilas.jpg"),
        alt="La place",
    )  # fmt: skip
    name = photo.image.name
    assert name.startswith("quartiers/photos/") and "Dupont" not in name and name.endswith(".jpg")
    assert not has_metadata(photo.image.path)
    for width in (400, 800, 1200):
        path = Path(photo.image.storage.path(rendition_name(name, width)))
        with Image.open(path) as rendition:
            assert rendition.format == "WEBP" and rendition.width == min(width, 900)
    assert photo.image.srcset.split(", ")[0] == f"{photo.image.storage.url(rendition_name(name, 400))} 400w"


@pytest.mark.django_db
def test_full_clean_gives_the_pipeline_message_at_the_field():
    photo = Photo(quartier=QuartierFactory(), image=ContentFile(b"not an image", name="x.jpg"), alt="Vue")
    with pytest.raises(ValidationError) as error:
        photo.full_clean()
    assert "n’est pas une image" in error.value.message_dict["image"][0]


@pytest.mark.django_db
def test_an_image_without_alt_text_needs_the_decorative_box_even_in_the_database():
    quartier = QuartierFactory()
    with pytest.raises(ValidationError) as error:
        Photo(quartier=quartier, image=ContentFile(image_bytes(), name="a.jpg"), alt="").full_clean()
    assert "cochez « décorative »" in error.value.message_dict["alt"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Photo.objects.create(quartier=quartier, image=ContentFile(image_bytes(), name="a.jpg"), alt="")
    decorative = Photo.objects.create(
        quartier=quartier, image=ContentFile(image_bytes(), name="a.jpg"), alt="", is_decorative=True
    )
    decorative.full_clean()
    assert decorative.image_alt() == ""
    for model, values in [
        (Partner, {"name": "P", "category": "etat", "logo": "x.png"}),
        (Video, {"title": "V", "url": "https://youtu.be/abcdefgh", "poster": "x.png"}),
        (TeamMember, {"role": "R", "photo": "x.png"}),
        (SiteIdentity, {"commune_name": "C", "service_name": "S", "address": "A", "postcode": "1", "city": "C",
                        "phone": "0325877790", "email": "a@example.org", "logo": "x.png"}),
    ]:  # fmt: skip
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.bulk_create([model(**values)])  # bypasses save() and the pipeline: the DB says no


@pytest.mark.django_db
def test_replacing_or_deleting_removes_the_old_files_after_the_commit(django_capture_on_commit_callbacks):
    photo = Photo.objects.create(quartier=QuartierFactory(), image=ContentFile(image_bytes(), name="a.jpg"), alt="A")
    first = [Path(photo.image.path), Path(photo.image.storage.path(rendition_name(photo.image.name, 400)))]
    assert all(p.exists() for p in first)

    # A rollback keeps the old files: the row still points to them.
    with pytest.raises(RuntimeError), transaction.atomic():
        photo.image = ContentFile(image_bytes(color=(1, 2, 3)), name="b.jpg")
        photo.save()
        raise RuntimeError
    assert all(p.exists() for p in first)

    photo = Photo.objects.get(pk=photo.pk)
    with django_capture_on_commit_callbacks(execute=True):
        photo.image = ContentFile(image_bytes(color=(1, 2, 3)), name="b.jpg")
        photo.save()
    assert not any(p.exists() for p in first)
    second = Path(photo.image.path)
    assert second.exists()

    with django_capture_on_commit_callbacks(execute=True):
        Photo.objects.filter(pk=photo.pk).delete()  # a queryset delete too (the signals stop fast deletes)
    assert not second.exists()


@pytest.mark.django_db
def test_a_file_still_used_by_another_row_is_kept(django_capture_on_commit_callbacks):
    quartier = QuartierFactory()
    photo = Photo.objects.create(quartier=quartier, image=ContentFile(image_bytes(), name="a.jpg"), alt="A")
    Photo.objects.create(quartier=quartier, image=photo.image.name, alt="Copie")  # same stored name
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert Path(Photo.objects.get().image.path).exists()


# --- Through the admin -----------------------------------------------------------------------------------------


def quartier_data(quartier, **photo):
    return {
        "name": quartier.name, "slug": quartier.slug, "status": quartier.status, "order": 0, "is_published": "on",
        "summary": "", "presentation": "", "perimeter": "", "perimeter_source": "", "perimeter_description": "",
        "official_map_url": "", "code_qpv": "",
        **{f"{prefix}-{key}": value for prefix in ("status_history", "figures")
           for key, value in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 9}.items()},
        "photos-TOTAL_FORMS": 1, "photos-INITIAL_FORMS": 0, "photos-MIN_NUM_FORMS": 0, "photos-MAX_NUM_FORMS": 1000,
        "photos-0-order": 0, "photos-0-alt": "La place du marché",
        **{f"photos-0-{key}": value for key, value in photo.items()},
    }  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a? ceci est un texte", "Cette image est illisible"),
        (b"Bonjour, ceci est un texte", "n’est pas une image JPEG, PNG, WebP ou GIF"),
        (png_header_only(10_000, 6_000), "L’image est trop grande : 10000 × 6000 pixels"),
    ],
    ids=["broken-gif", "text-named-jpg", "60-megapixels"],
)
def test_the_admin_refuses_a_bad_photo_at_its_field_and_keeps_what_was_typed(admin_client, content, message):
    quartier = QuartierFactory()
    url = reverse("admin:quartiers_quartier_change", args=[quartier.pk])
    response = admin_client.post(url, quartier_data(quartier, image=upload(content, "photo.jpg")))
    assert response.status_code == 200
    assertContains(response, message)
    assertContains(response, 'value="La place du marché"')
    assert not Photo.objects.exists()


@pytest.mark.django_db
def test_the_admin_stores_a_gps_tagged_photo_cleaned(admin_client, django_capture_on_commit_callbacks):
    quartier = QuartierFactory()
    url = reverse("admin:quartiers_quartier_change", args=[quartier.pk])
    response = admin_client.post(url, quartier_data(quartier, image=upload(gps_jpeg((1600, 1000)), "IMG_0001.jpg")))
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert "IMG_0001" not in photo.image.name and not has_metadata(photo.image.path)
    page = admin_client.get(quartier.get_absolute_url())
    assertContains(page, f'srcset="{photo.image.srcset}"')
    assertContains(page, 'alt="La place du marché"')


@pytest.mark.django_db
def test_the_site_logo_replaced_in_the_admin_leaves_the_disk(
    admin_client, content, django_capture_on_commit_callbacks
):
    identity = SiteIdentity.objects.get()
    url = reverse("admin:core_siteidentity_change", args=[identity.pk])
    data = {
        field: getattr(identity, field)
        for field in ["commune_name", "service_name", "tagline", "website_url", "address", "postcode", "city",
                      "phone", "email", "opening_hours", "accessibility_status", "main_color"]
    }  # fmt: skip
    response = admin_client.post(url, {**data, "logo": upload(image_bytes("PNG", (600, 200)), "logo.png")})
    assertContains(response, "Décrivez le logo")  # no alt and not decorative
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, {**data, "logo": upload(image_bytes("PNG", (600, 200)), "logo.png"), "logo_alt": "Ville"}
        )
    assert response.status_code == 302
    first = Path(SiteIdentity.objects.get().logo.path)
    home = admin_client.get("/")
    assertContains(home, SiteIdentity.objects.get().logo.small_url)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {**data, "logo-clear": "on", "logo_alt": ""})
    assert not SiteIdentity.objects.get().logo and not first.exists()


@pytest.mark.django_db
def test_a_call_document_must_be_a_document(admin_client):
    call = CallFactory()
    document = CallDocument(call=call, title="Règlement", file=ContentFile(b"<script>", name="reglement.pdf"))
    with pytest.raises(ValidationError) as error:
        document.full_clean()
    assert "PDF, ODT (LibreOffice Writer), ODS (LibreOffice Calc), DOCX (Word) ou XLSX (Excel)" in str(error.value)
    document.file = ContentFile(PDF_BYTES, name="Règlement 2025.bin")
    document.full_clean()
    document.save()
    assert document.file.name.endswith(".pdf") and "glement" not in document.file.name
