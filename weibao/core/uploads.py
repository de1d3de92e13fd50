"""Uploaded images and files, checked before anything decodes them.

One place for every upload (signatures, inspection photos, evidence attachments):

* the byte size is checked first, from the upload's size (or the bytes' length);
* an image's format and pixel count are read from its header only (Pillow opens lazily), so a
  small file that would expand to a huge picture is refused before it is decoded;
* the content is recognised by its first bytes and must match the file's extension, so a text
  named `.png` or a program named `.jpg` is refused;
* a photo is stored without its EXIF and other metadata (GPS position, camera, owner): it is
  re-encoded, with the EXIF orientation applied to the pixels first.

A refusal is a `DomainError` on the upload's field, so the web form and the API both answer
400 with the field's message and nothing is stored.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import PurePath
from typing import NoReturn

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from weibao.core.errors import DomainError

MB = 1024 * 1024


@dataclass(frozen=True)
class ImageLimits:
    """What an image upload may be: its largest byte size and pixel count, and its formats
    (Pillow's names)."""

    max_bytes: int
    max_pixels: int
    formats: tuple[str, ...]


SIGNATURE = ImageLimits(max_bytes=1 * MB, max_pixels=2000 * 2000, formats=("PNG",))
PHOTO = ImageLimits(
    max_bytes=20 * MB, max_pixels=40_000_000, formats=("JPEG", "PNG", "WEBP", "GIF")
)


IMAGE_EXTENSIONS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}
# Keys of `Image.info` that carry metadata about the picture's origin rather than its pixels.
METADATA_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "photoshop", "comment")
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = (b"PK\x03\x04", b"PK\x05\x06")


def limit_pixels() -> None:
    """Make anything that opens an image in this process (Pillow, also inside the PDF and Word
    renderers) refuse a picture of more than twice a photo's pixel limit (called at start-up)."""
    Image.MAX_IMAGE_PIXELS = PHOTO.max_pixels


def _matches(extension: str, head: bytes) -> bool:
    """Whether the first bytes of a file are what a file with `extension` starts with."""
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension == "gif":
        return head.startswith((b"GIF87a", b"GIF89a"))
    if extension == "webp":
        return head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    if extension in ("heic", "heif"):
        return head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS
    if extension == "pdf":
        return b"%PDF-" in head[:1024]
    if extension in ("doc", "xls", "ppt"):
        return head.startswith(OLE2)
    if extension in ("docx", "xlsx", "pptx", "zip"):
        return head.startswith(ZIP)
    if extension in ("txt", "csv", "log"):
        return _is_text(head)
    return False


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as error:
            if error.start >= len(head) - 4:  # a character cut by the end of the sample
                return True
        else:
            return True
    return False


def _size(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    return size


def _readable_size(size: int) -> str:
    for unit, scale in (("MB", MB), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} B"


def _refuse(message: str, *, field: str, code: str) -> NoReturn:
    raise DomainError(message, code=code, field=field)


def check_size(upload, *, max_bytes: int, field: str, code: str = "upload_invalid") -> None:
    """Refuse a file (an upload or bytes) larger than `max_bytes`, without reading it."""
    size = len(upload) if isinstance(upload, bytes) else _size(upload)
    if size > max_bytes:
        _refuse(
            _("文件过大（%(size)s），不能超过 %(limit)s。")
            % {"size": _readable_size(size), "limit": _readable_size(max_bytes)},
            field=field,
            code=code,
        )


def check_image(
    source, *, limits: ImageLimits, field: str, code: str = "upload_invalid"
) -> Image.Image:
    """The image in `source` (bytes or a file), opened but not decoded, once its byte size,
    format and pixel count are within `limits`; otherwise a refusal on `field`."""
    check_size(source, max_bytes=limits.max_bytes, field=field, code=code)
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # measured below
            image = Image.open(stream, formats=limits.formats)
    except Image.DecompressionBombError:
        _refuse(_("图像尺寸过大。") + _too_many_pixels(limits), field=field, code=code)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        _refuse(
            _("无法识别的图像，请上传 %(formats)s 格式的图片。")
            % {"formats": " / ".join(limits.formats)},
            field=field,
            code=code,
        )
    width, height = image.size
    if width * height > limits.max_pixels:
        _refuse(
            _("图像尺寸过大（%(width)s×%(height)s 像素）。") % {"width": width, "height": height}
            + _too_many_pixels(limits),
            field=field,
            code=code,
        )
    return image


def _too_many_pixels(limits: ImageLimits) -> str:
    return _("图像最多 %(megapixels)s 万像素。") % {"megapixels": limits.max_pixels // 10_000}


def _extension(upload) -> str:
    return PurePath(getattr(upload, "name", "") or "").suffix.lower().lstrip(".")


def _check_content(upload, extension: str, *, field: str, code: str) -> None:
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if not _matches(extension, head):
        _refuse(
            _("文件内容与扩展名 .%(extension)s 不符。") % {"extension": extension},
            field=field,
            code=code,
        )


def clean_photo(upload, *, field: str, limits: ImageLimits = PHOTO, code: str = "upload_invalid"):
    """The photo to store (an uploaded file): checked as above, then without its EXIF and other
    metadata (the EXIF orientation applied to the pixels first). A photo without metadata is
    returned as it came."""
    extension = _extension(upload)
    check_size(upload, max_bytes=limits.max_bytes, field=field, code=code)
    if extension in ("heic", "heif"):
        _refuse(
            _("无法处理 HEIC 照片，请在手机上选择“兼容性最佳”或转为 JPEG 后再上传。"),
            field=field,
            code=code,
        )
    if IMAGE_EXTENSIONS.get(extension) not in limits.formats:
        _refuse(
            _("照片必须是 %(formats)s 格式。") % {"formats": " / ".join(limits.formats)},
            field=field,
            code=code,
        )
    _check_content(upload, extension, field=field, code=code)
    image = check_image(upload, limits=limits, field=field, code=code)
    try:
        if not _has_metadata(image):
            upload.seek(0)
            return upload
        return ContentFile(_without_metadata(image), name=PurePath(upload.name).name)
    except (OSError, ValueError, SyntaxError):
        _refuse(_("照片已损坏，无法读取。"), field=field, code=code)


def _has_metadata(image: Image.Image) -> bool:
    return any(key in image.info for key in METADATA_KEYS) or bool(image.getexif())


def _without_metadata(image: Image.Image) -> bytes:
    """`image` encoded again in its own format with nothing but its pixels (and its colour
    profile); EXIF, XMP and comments are left behind."""
    fmt = image.format
    options = {"icc_profile": image.info.get("icc_profile")} if "icc_profile" in image.info else {}
    if getattr(image, "is_animated", False):
        frames, options = image, {**options, "save_all": True}
    else:
        frames = ImageOps.exif_transpose(image)
    for key in METADATA_KEYS:
        frames.info.pop(key, None)
    if fmt == "JPEG":
        options.update(quality=90, optimize=True)
    elif fmt == "WEBP":
        options.update(quality=90)
    buffer = io.BytesIO()
    frames.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def check_file(
    upload,
    *,
    field: str,
    extensions: list[str] | tuple[str, ...],
    max_bytes: int,
    code: str = "upload_invalid",
):
    """The file to store for an attachment that may be a photo or a document: its extension
    allowed, its size within `max_bytes`, its content matching its extension; a photo is
    cleaned as by `clean_photo`."""
    check_size(upload, max_bytes=max_bytes, field=field, code=code)
    extension = _extension(upload)
    if extension not in extensions:
        _refuse(
            _("不支持的文件类型 .%(extension)s，允许：%(allowed)s。")
            % {"extension": extension or "?", "allowed": "、".join(extensions)},
            field=field,
            code=code,
        )
    if extension in IMAGE_EXTENSIONS or extension in ("heic", "heif"):
        photo = ImageLimits(
            max_bytes=min(max_bytes, PHOTO.max_bytes),
            max_pixels=PHOTO.max_pixels,
            formats=PHOTO.formats,
        )
        return clean_photo(upload, field=field, limits=photo, code=code)
    _check_content(upload, extension, field=field, code=code)
    return upload
