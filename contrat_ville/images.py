"""A project photo's two renditions, made by the one upload pipeline (core.uploads): its type read from the bytes,
the pixel limit, re-encoding without metadata (GPS position…). Neither the original file nor its EXIF is kept."""

from dataclasses import dataclass

from langres_portal.core import filetypes
from langres_portal.core.uploads import MAX_PIXELS, CleanFile, clean_image

WIDTHS = {"small": 400, "large": 1200}
__all__ = ["MAX_PIXELS", "Renditions", "make_renditions"]


@dataclass
class Renditions:
    small: CleanFile
    large: CleanFile


def make_renditions(upload) -> Renditions:
    """The two WebP renditions of an uploaded image, or a ValidationError with a French message."""
    cleaned = clean_image(upload, renditions=WIDTHS.values(), max_width=max(WIDTHS.values()))
    files = {name: CleanFile(cleaned.renditions[w], "photo.webp", filetypes.WEBP) for name, w in WIDTHS.items()}
    return Renditions(**files)
