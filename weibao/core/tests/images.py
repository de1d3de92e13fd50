"""Hostile uploads and exports for tests: a PNG that expands to a huge picture, a photo that
tells where it was taken, a "PNG" that is text, and texts a spreadsheet would run as formulas."""

from __future__ import annotations

import base64
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "\tX", "\rX"]
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def bomb_png(side: int = 4000) -> bytes:
    """A 1-bit PNG of `side`×`side` white pixels: a few KB on disk, megapixels once decoded."""
    buffer = io.BytesIO()
    Image.new("1", (side, side), 1).save(buffer, format="PNG")
    return buffer.getvalue()


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def photo_with_gps(fmt: str = "JPEG", *, size=(64, 32), rotated: bool = True) -> bytes:
    """A red photo whose EXIF carries a GPS position, a camera and (if `rotated`) the
    orientation "turn 90° clockwise to view"."""
    exif = Image.Exif()
    exif[0x010F] = "Weibao Test Camera"
    if rotated:
        exif[ORIENTATION] = 6
    exif[GPS_IFD] = {1: "N", 2: (31.0, 14.0, 0.0), 3: "E", 4: (121.0, 28.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 20, 20)).save(buffer, format=fmt, exif=exif.tobytes())
    return buffer.getvalue()


def plain_photo(fmt: str = "JPEG", size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 20)).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def has_exif(content: bytes) -> bool:
    image = Image.open(io.BytesIO(content))
    return bool(image.getexif()) or "exif" in image.info


def formula_cells(book) -> list[str]:
    """Coordinates of every formula cell in an openpyxl workbook."""
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
