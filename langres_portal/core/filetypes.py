"""What a file is, read from its bytes (magic numbers, then parsed as that type), whatever its name says.

Shared by the public uploads of staff (core.uploads) and the applicants' attachments (microprojets.files).
"""

import warnings
import zipfile
from io import BytesIO

from PIL import Image
from pypdf import PdfReader

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
GIF = "image/gif"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

IMAGE_TYPES = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP", GIF: "GIF"}  # content type: Pillow's format name
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", WEBP: "webp", GIF: "gif", ODT: "odt", ODS: "ods"}
EXTENSIONS |= {DOCX: "docx", XLSX: "xlsx"}
LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", WEBP: "WebP", GIF: "GIF", ODT: "ODT (LibreOffice Writer)"}
LABELS |= {ODS: "ODS (LibreOffice Calc)", DOCX: "DOCX (Word)", XLSX: "XLSX (Excel)"}


def sniff(head: bytes) -> str | None:
    """The content type its first bytes claim (magic numbers). Not a proof: use detect_type(), which also reads
    the file as that type."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(b"PK\x03\x04"):
        return "application/zip"
    return None


def is_readable_pdf(content: bytes) -> bool:
    """The bytes parse as a PDF with at least one page (pypdf): « %PDF- » followed by anything does not."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(BytesIO(content), strict=False)
            return len(reader.pages) > 0
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of errors on broken files: all mean « not a PDF »
        return False


def office_type(content: bytes) -> str | None:
    """ODF (its « mimetype » entry) or Office Open XML (its main part) document in a ZIP, else None."""
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return mimetype if mimetype in {ODT, ODS} else None
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return None
    return None


def detect_type(content: bytes) -> str | None:
    """The type of a file from its bytes, checked by reading it as that type; None when it is none we know.

    Images are only opened here (cheap): their decoding, with the pixel limit, is the caller's.
    """
    content_type = sniff(content[:16])
    if content_type == PDF:
        return content_type if is_readable_pdf(content) else None
    if content_type == "application/zip":
        return office_type(content)
    if content_type is not None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                with Image.open(BytesIO(content)) as image:
                    # A JPEG with several frames (MPO, from some phones) is still a JPEG.
                    return content_type if image.format in {IMAGE_TYPES[content_type], "MPO"} else None
        except (Image.DecompressionBombError, OSError, SyntaxError, ValueError):
            return content_type  # the caller's decoding says it is unreadable or too big, with its own message
    return None
