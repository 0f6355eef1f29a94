"""Checks of an uploaded file: its type from its content (read as that type), its size, images that would explode
in memory."""

import hashlib
import re
import shutil
import unicodedata
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image

from langres_portal.core import filetypes

from .models import ALLOWED_CONTENT_TYPES, MAX_FILE_SIZE

# A 24 Mpx photo is 6000 × 4000: well above any phone; a PNG over this is refused (decompression bomb).
MAX_IMAGE_PIXELS = 40_000_000


@dataclass
class CheckedFile:
    name: str
    content: bytes
    content_type: str
    sha256: str

    @property
    def size(self):
        return len(self.content)


# Unicode categories removed from a file's name: controls, format characters (RTL override U+202E, zero-width
# spaces…), surrogates, private-use and unassigned code points, line and paragraph separators.
UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
MAX_NAME_LENGTH = 120


def display_name(raw: str | None) -> str:
    """The sender's file name as a label for messages and staff pages only: never a path on disk, never the name
    a file is downloaded under (see Attachment.download_name).

    No folder part, no control or bidirectional characters (with U+202E, « facture<U+202E>fdp.exe » reads
    « facturexe.pdf »), spaces collapsed, at most MAX_NAME_LENGTH characters keeping the end (its extension).
    """
    name = re.split(r"[/\\]", unicodedata.normalize("NFC", raw or ""))[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in UNSAFE_CATEGORIES)
    name = " ".join(name.split()).strip(" .")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        ext = dot + ext if dot and len(ext) <= 10 else ""
        name = stem[: MAX_NAME_LENGTH - len(ext) - 1].rstrip(" .") + "…" + ext
    return name or "fichier"


def detect_type(content: bytes) -> str | None:
    """The type of an attachment from its bytes (core.filetypes), None when it is not one applicants may send.

    Images are only opened here (cheap); check_image() then verifies them fully, with the pixel limit.
    """
    content_type = filetypes.detect_type(content)
    return content_type if content_type in ALLOWED_CONTENT_TYPES else None


def safe_name(upload) -> str:
    return display_name(upload.name)


def free_private_space() -> int:
    """Free bytes on the disk of the private files' folder (its nearest existing parent before the first file)."""
    folder = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return shutil.disk_usage(folder).free


def check_disk_space(name: str, size: int) -> None:
    """Refuse a file that would leave the private disk under PRIVATE_MEDIA_MIN_FREE_MB: the database, the logs
    and the other applicants' files need that room, and a full disk would lose a file half written."""
    if free_private_space() - size < settings.PRIVATE_MEDIA_MIN_FREE_MB * 1024 * 1024:
        raise ValidationError(
            f"Le fichier « {name} » n’a pas pu être enregistré : le serveur manque momentanément de place. "
            "Vos autres réponses sont conservées. Réessayez plus tard, ou envoyez ce document au service "
            "par courriel."
        )


def check_upload(upload, scan=None) -> CheckedFile:
    """Read and check one uploaded file; raise ValidationError with a French message saying what to do.

    `scan(name, content)` runs between the size and the type checks, so that the antivirus sees every file.
    """
    name = safe_name(upload)
    if upload.size == 0:
        raise ValidationError(f"Le fichier « {name} » est vide (0 octet). Choisissez un autre fichier.")
    if upload.size > MAX_FILE_SIZE:
        raise ValidationError(
            f"Le fichier « {name} » fait {filesizeformat(upload.size)} : la taille maximale est de 5 Mo. "
            "Réduisez-le (photo moins grande, PDF compressé) ou envoyez-en une partie."
        )
    check_disk_space(name, upload.size)
    upload.seek(0)
    content = upload.read()
    if scan is not None:
        scan(name, content)
    content_type = detect_type(content)
    if content_type is None:
        raise ValidationError(
            f"Le fichier « {name} » n’est ni un PDF, ni une image JPEG ou PNG (son contenu a été vérifié, "
            "pas seulement son nom). Enregistrez-le au format PDF puis choisissez-le à nouveau."
        )
    if content_type != "application/pdf":
        check_image(name, content)
    return CheckedFile(name, content, content_type, hashlib.sha256(content).hexdigest())


def check_image(name: str, content: bytes) -> None:
    message = f"L’image « {name} » est illisible ou trop grande. Envoyez une photo ordinaire ou un PDF."
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(content)) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ValidationError(message)
                image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(message) from exc
