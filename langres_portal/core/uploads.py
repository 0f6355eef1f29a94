"""One pipeline for every file staff upload to a public page: logos, photos, posters, documents.

A model declares `PublicImageField` or `PublicFileField` instead of Django's ImageField / FileField and gets, in the
admin and through the model layer alike:

- the type read from the bytes (core.filetypes), never from the name: a text file named « photo.jpg » is refused;
- for images, a pixel limit checked before decoding (a 50 kB PNG can expand to gigabytes: decompression bomb),
  then a re-encoding with Pillow, the orientation applied: EXIF (GPS position, camera serial…), comments and
  anything hidden after the image are not kept; optional width-limited WebP renditions for `srcset`;
- a random stored name with the extension of the detected type (the sender's name says nothing on the site);
- the files of a row removed from the disk when it is replaced, cleared or deleted, once the transaction is
  committed (a rollback keeps them);
- French messages at the field.

Text alternatives go with `alt_text_constraint()` (a DB constraint) and `AltTextMixin` (the same rule at the field).
"""

import io
import posixpath
import secrets
import warnings
from dataclasses import dataclass, field
from functools import partial

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile, ImageFieldFile
from django.db.models.signals import post_delete, post_init, post_save
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

from . import filetypes

MAX_PIXELS = 40_000_000  # 40 Mpx: above any phone photo (24 Mpx is 6000 × 4000)
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_STORED_WIDTH = 2400  # the stored image: wider than any place it is shown, far lighter than a camera's original
JPEG_QUALITY = 85
WEBP_QUALITY = 80
IMAGE_TYPES = (filetypes.JPEG, filetypes.PNG, filetypes.WEBP, filetypes.GIF)
DOCUMENT_TYPES = (filetypes.PDF,)
OFFICE_TYPES = (filetypes.ODT, filetypes.ODS, filetypes.DOCX, filetypes.XLSX)
# The format an image is stored in: photos stay JPEG, drawings (PNG, GIF) stay lossless, WebP stays WebP.
STORED_FORMAT = {filetypes.JPEG: "JPEG", filetypes.PNG: "PNG", filetypes.GIF: "PNG", filetypes.WEBP: "WEBP"}
ALT_MESSAGE = (
    "Donnez un texte alternatif (ce que montre l’image, pour qui ne la voit pas), ou cochez « décorative » si "
    "l’image n’apporte aucune information."
)


class CleanFile(ContentFile):
    """Bytes that went through the pipeline: stored as they are, with their renditions."""

    def __init__(self, content, name, content_type, renditions=None):
        super().__init__(content, name=name)
        self.content_type = content_type
        self.renditions = renditions or {}  # width → WebP bytes


def _too_big_message(width, height):
    return (
        f"L’image est trop grande : {width} × {height} pixels, soit plus de {MAX_PIXELS // 1_000_000} mégapixels. "
        "Réduisez-la (une photo de téléphone suffit) avant de l’envoyer."
    )


def _read(upload) -> bytes:
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"Le fichier fait {filesizeformat(upload.size)} : la taille maximale est de "
            f"{filesizeformat(MAX_UPLOAD_BYTES)}. Réduisez-le avant de l’envoyer.",
            code="too_big",
        )
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    if not content:
        raise ValidationError("Le fichier est vide (0 octet). Choisissez un autre fichier.", code="empty")
    return content


def _types_label(types) -> str:
    labels = [filetypes.LABELS[t] for t in types]
    return ", ".join(labels[:-1]) + " ou " + labels[-1] if len(labels) > 1 else labels[0]


def _encode(image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image = image.convert("L" if image.mode in {"1", "L", "LA", "I;16", "I"} else "RGB")
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    elif fmt == "PNG":
        if image.mode not in {"1", "L", "LA", "P", "RGB", "RGBA"}:
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        image.save(out, format="PNG", optimize=True)
    else:
        image = image.convert("RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB")
        image.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)
    # No exif=, icc_profile= nor pnginfo= argument: Pillow writes none of the original's metadata.
    return out.getvalue()


def _resized(image, width):
    if image.width <= width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def clean_image(upload, *, renditions=(), max_width=MAX_STORED_WIDTH, types=IMAGE_TYPES) -> CleanFile:
    """The uploaded image re-encoded without its metadata, with its WebP renditions; or a French ValidationError."""
    content = _read(upload)
    content_type = filetypes.detect_type(content)
    if content_type not in types:
        raise ValidationError(
            f"Ce fichier n’est pas une image {_types_label(types)} (son contenu a été vérifié, pas seulement son "
            "nom). Choisissez une photo ou une image enregistrée dans l’un de ces formats.",
            code="invalid_type",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                # The header gives the size: checked before the pixels are decoded into memory.
                if image.width * image.height > MAX_PIXELS:
                    raise ValidationError(_too_big_message(image.width, image.height), code="too_many_pixels")
                image.load()
                image = ImageOps.exif_transpose(image)  # applies the orientation that the EXIF being dropped held
                if image.mode == "P" and "transparency" in image.info:
                    image = image.convert("RGBA")
                stored = _encode(_resized(image, max_width), STORED_FORMAT[content_type])
                rendered = {width: _encode(_resized(image, width), "WEBP") for width in renditions}
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            f"L’image est trop grande (plus de {MAX_PIXELS // 1_000_000} mégapixels). Réduisez-la avant de l’envoyer.",
            code="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            "Cette image est illisible (fichier abîmé ou incomplet). Enregistrez-la à nouveau puis réessayez.",
            code="unreadable",
        ) from None
    stored_type = {"JPEG": filetypes.JPEG, "PNG": filetypes.PNG, "WEBP": filetypes.WEBP}[STORED_FORMAT[content_type]]
    return CleanFile(stored, f"image.{filetypes.EXTENSIONS[stored_type]}", stored_type, rendered)


def clean_document(upload, *, types=DOCUMENT_TYPES) -> CleanFile:
    """The uploaded document, if its bytes are one of `types`; or a French ValidationError."""
    content = _read(upload)
    content_type = filetypes.detect_type(content)
    if content_type not in types:
        raise ValidationError(
            f"Ce fichier n’est pas un document {_types_label(types)} lisible (son contenu a été vérifié, pas "
            "seulement son nom). Enregistrez-le dans l’un de ces formats puis choisissez-le à nouveau.",
            code="invalid_type",
        )
    return CleanFile(content, f"document.{filetypes.EXTENSIONS[content_type]}", content_type)


def write_missing_renditions(model, field_name):
    """Write the renditions of rows stored before their field had them (from a data migration)."""
    model_field = model._meta.get_field(field_name)
    for row in model._default_manager.exclude(**{field_name: ""}).iterator():
        file = getattr(row, field_name)
        missing = [w for w in model_field.renditions if not file.storage.exists(rendition_name(file.name, w))]
        if not missing:
            continue
        try:
            with file.open("rb"):
                cleaned = clean_image(file, renditions=missing)
        except (ValidationError, OSError):
            continue  # a missing or broken file: its page keeps showing the stored image alone
        for width, data in cleaned.renditions.items():
            file.storage.save(rendition_name(file.name, width), ContentFile(data))


def rendition_name(name: str, width: int) -> str:
    """Where the WebP rendition `width` of the stored file `name` lives: beside it."""
    stem, _ = posixpath.splitext(name)
    return f"{stem}-{width}w.webp"


# --- Model fields --------------------------------------------------------------------------------------------------


class PublicFieldFile(ImageFieldFile):
    """The stored file, with the URLs of its renditions."""

    def rendition_url(self, width):
        return self.storage.url(rendition_name(self.name, width)) if self.name else ""

    @property
    def srcset(self) -> str:
        """« url 400w, url 1200w » of the renditions (empty without any): for <img srcset>."""
        if not self.name:
            return ""
        return ", ".join(f"{self.rendition_url(w)} {w}w" for w in self.field.renditions)

    @property
    def small_url(self) -> str:
        """The narrowest rendition, or the file itself when the field has none."""
        return self.rendition_url(min(self.field.renditions)) if self.field.renditions else self.url


class PipelineMixin:
    """What PublicImageField and PublicFileField share: cleaning, random names, renditions, removal from disk."""

    attr_class = PublicFieldFile
    clean_upload = None  # set by each field: upload → CleanFile

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.renditions:
            kwargs["renditions"] = list(self.renditions)
        if self.types != self.default_types:
            kwargs["types"] = list(self.types)
        return name, path, args, kwargs

    def generate_filename(self, instance, filename):
        """A random name in the field's folder, with the extension of the type the bytes were found to be."""
        folder = self.upload_to if isinstance(self.upload_to, str) else ""
        ext = posixpath.splitext(filename)[1].lower() or ".bin"
        return self.storage.generate_filename(posixpath.join(folder, f"{secrets.token_hex(16)}{ext}"))

    def ensure_clean(self, file):
        """Run the pipeline on a new upload (once): `file` then holds the cleaned bytes."""
        if not file or file._committed or isinstance(file.file, CleanFile):
            return
        file.file = self.clean_upload(file.file)
        file.name = file.file.name

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        self.ensure_clean(value)  # model.full_clean() gives the pipeline's messages at the field

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        new = bool(file) and not file._committed
        self.ensure_clean(file)  # a save without full_clean() is cleaned too (raises ValidationError)
        renditions = file.file.renditions if new else {}
        file = super().pre_save(model_instance, add)  # writes the file under its random name
        for width, data in renditions.items():
            file.storage.save(rendition_name(file.name, width), ContentFile(data))
        return file

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PublicUploadFormField, "model_field": self, **kwargs})

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        if cls._meta.abstract:
            return
        uid = f"public-file-{cls._meta.label_lower}-{name}"
        post_init.connect(self._remember_name, sender=cls, dispatch_uid=uid)
        post_save.connect(self._remove_replaced, sender=cls, dispatch_uid=uid)
        post_delete.connect(self._remove_deleted, sender=cls, dispatch_uid=uid)

    # --- Removal from disk: after the commit, and only of a name no other row still uses ---

    def _remember_name(self, sender, instance, **kwargs):
        # Only a name already in storage (from the database): not a file being passed to the constructor.
        value = instance.__dict__.get(self.attname)
        if isinstance(value, FieldFile):
            value = value.name if value._committed else None
        elif not isinstance(value, str):
            value = None
        instance.__dict__.setdefault("_stored_files", {})[self.attname] = value

    def _remove_replaced(self, sender, instance, raw=False, **kwargs):
        stored = instance.__dict__.setdefault("_stored_files", {})
        old, new = stored.get(self.attname), getattr(instance, self.attname).name or ""
        stored[self.attname] = new
        if old and not raw and str(old) != new:
            transaction.on_commit(partial(self._delete_files, sender, str(old)))

    def _remove_deleted(self, sender, instance, **kwargs):
        name = getattr(instance, self.attname).name
        if name:
            transaction.on_commit(partial(self._delete_files, sender, name))

    def _delete_files(self, model, name):
        if model._default_manager.filter(**{self.attname: name}).exists():
            return  # another row (a copy made by the content loader, say) still shows this file
        for path in [name, *(rendition_name(name, w) for w in self.renditions)]:
            self.storage.delete(path)


class PublicImageField(PipelineMixin, models.ImageField):
    """An image shown on the site: checked, re-encoded without metadata, renditions, random name, cleaned up.

    `renditions`: widths of the WebP copies made for <img srcset> (file.srcset, file.small_url).
    """

    default_types = IMAGE_TYPES

    def __init__(self, *args, renditions=(), types=IMAGE_TYPES, **kwargs):
        self.renditions = tuple(sorted(renditions))
        self.types = tuple(types)
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def clean_upload(self, upload):
        return clean_image(upload, renditions=self.renditions, types=self.types)

    @property
    def accept(self):
        return ",".join(self.types)

    @property
    def help_suffix(self):
        return (
            f"{_types_label(self.types)}, {MAX_PIXELS // 1_000_000} mégapixels au plus. L’image est réenregistrée : "
            "ses métadonnées (position GPS, appareil…) sont supprimées."
        )


class PublicFileField(PipelineMixin, models.FileField):
    """A document downloaded from the site (PDF by default): type checked from the bytes, random name, cleaned up."""

    default_types = DOCUMENT_TYPES

    def __init__(self, *args, types=DOCUMENT_TYPES, **kwargs):
        self.renditions = ()
        self.types = tuple(types)
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def clean_upload(self, upload):
        return clean_document(upload, types=self.types)

    @property
    def accept(self):
        return ",".join(f".{filetypes.EXTENSIONS[t]}" for t in self.types)

    @property
    def help_suffix(self):
        return f"Format accepté : {_types_label(self.types)} (le contenu du fichier est vérifié)."


class PublicUploadFormField(forms.FileField):
    """The form side: the pipeline runs in clean(), so its French message shows at the field and a refused file
    is never written (the rest of the form keeps what was typed)."""

    def __init__(self, *, model_field, **kwargs):
        self.model_field = model_field
        kwargs.setdefault("widget", forms.ClearableFileInput)
        help_text = kwargs.get("help_text") or ""
        kwargs["help_text"] = f"{help_text} {model_field.help_suffix}".strip()
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", model_field.accept)

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        return self.model_field.clean_upload(upload)


# --- Text alternatives -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AltText:
    """An image field, its text alternative and its « décorative » box."""

    image: str
    alt: str
    decorative: str
    required_image: bool = field(default=False)


def alt_text_constraint(name: str, *, image: str, alt: str, decorative: str, required_image=False):
    """A named DB constraint: an image has a text alternative, unless it is marked decorative."""
    condition = ~models.Q(**{alt: ""}) | models.Q(**{decorative: True})
    if not required_image:
        condition |= models.Q(**{image: ""})
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=ALT_MESSAGE)


class AltTextMixin:
    """The rule of alt_text_constraint() at the field: ALT_TEXTS lists the model's AltText."""

    ALT_TEXTS: tuple[AltText, ...] = ()

    def clean(self):
        super().clean()
        errors = {}
        for spec in self.ALT_TEXTS:
            has_image = bool(getattr(self, spec.image))
            if (has_image or spec.required_image) and not getattr(self, spec.alt).strip():
                if not getattr(self, spec.decorative):
                    errors[spec.alt] = ALT_MESSAGE
        if errors:
            raise ValidationError(errors)

    def image_alt(self, spec_index=0) -> str:
        """The alt attribute to print: empty for a decorative image."""
        spec = self.ALT_TEXTS[spec_index]
        return "" if getattr(self, spec.decorative) else getattr(self, spec.alt)
