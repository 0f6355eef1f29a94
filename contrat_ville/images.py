"""Photo renditions: re-encode what staff upload, so that neither the original file nor its metadata is kept.

Re-encoding with Pillow drops EXIF (GPS position, camera serial…) and anything hidden in the file. Images
above MAX_PIXELS are refused before they are decoded: a small file can expand to gigabytes in memory.
"""

import io
import uuid
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
WIDTHS = {"small": 400, "large": 1200}
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
WEBP_QUALITY = 80


@dataclass
class Renditions:
    small: ContentFile
    large: ContentFile


def _resized(image, width):
    if image.width > width:
        height = max(1, round(image.height * width / image.width))
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)  # no exif= argument: no metadata written
    return out.getvalue()


def make_renditions(upload) -> Renditions:
    """The two WebP renditions of an uploaded image, or a ValidationError with a French message."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError("Le fichier dépasse 20 Mo. Réduisez la photo avant de l’envoyer.")
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.format not in ACCEPTED_FORMATS:
                    raise ValidationError("Format non accepté. Envoyez une photo JPEG, PNG ou WebP.")
                if image.width * image.height > MAX_PIXELS:
                    raise ValidationError(
                        f"L’image fait {image.width} × {image.height} pixels, soit plus de 40 mégapixels. "
                        "Réduisez-la avant de l’envoyer."
                    )
                image.load()
                image = ImageOps.exif_transpose(image)
                image = image.convert("RGBA" if image.mode in {"RGBA", "LA", "P"} else "RGB")
                data = {name: _resized(image, width) for name, width in WIDTHS.items()}
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError("L’image est trop grande (plus de 40 mégapixels). Réduisez-la avant de l’envoyer.")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError("Ce fichier n’est pas une image lisible. Envoyez une photo JPEG, PNG ou WebP.")
    finally:
        upload.seek(0)
    stem = uuid.uuid4().hex
    return Renditions(
        small=ContentFile(data["small"], name=f"{stem}-400.webp"),
        large=ContentFile(data["large"], name=f"{stem}-1200.webp"),
    )
