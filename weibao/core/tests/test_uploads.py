"""Uploads are measured before they are decoded, recognised by their content, and photos are
stored without the EXIF that tells where they were taken."""

import io

import pytest
from PIL import Image

from weibao.core import uploads
from weibao.core.errors import DomainError
from weibao.core.tests.images import (
    GPS_IFD,
    bomb_png,
    has_exif,
    photo_with_gps,
    plain_photo,
    upload,
)

EVIDENCE = ["jpg", "jpeg", "png", "webp", "heic", "gif", "pdf", "docx", "xls", "txt", "zip"]


def _refusal(call) -> DomainError:
    with pytest.raises(DomainError) as refused:
        call()
    return refused.value


def test_a_small_png_of_a_huge_picture_is_refused_from_its_header():
    png = bomb_png(4000)
    assert len(png) < 20_000

    error = _refusal(lambda: uploads.check_image(png, limits=uploads.SIGNATURE, field="signature"))

    assert error.field == "signature" and error.status == 400
    assert "4000×4000" in error.message and "400 万像素" in error.message


def test_a_picture_beyond_what_pillow_may_open_is_refused_with_the_same_message():
    png = bomb_png(10_000)  # 100 megapixels: more than twice the photo limit

    error = _refusal(lambda: uploads.check_image(png, limits=uploads.PHOTO, field="photo"))

    assert "图像尺寸过大" in error.message and "4000 万像素" in error.message
    assert uploads.PHOTO.max_pixels == Image.MAX_IMAGE_PIXELS


def test_too_many_bytes_are_refused_before_reading():
    limits = uploads.ImageLimits(max_bytes=1024, max_pixels=10**6, formats=("PNG",))

    error = _refusal(lambda: uploads.check_image(b"\x00" * 5000, limits=limits, field="photo"))

    assert error.message == "文件过大（4.9 KB），不能超过 1 KB。"


def test_a_photo_is_stored_without_its_exif_and_turned_upright():
    cleaned = uploads.clean_photo(upload("现场.jpg", photo_with_gps()), field="photo")
    content = cleaned.read()

    assert not has_exif(content)
    assert Image.open(io.BytesIO(content)).size == (32, 64)  # orientation 6 applied
    assert cleaned.name == "现场.jpg"


@pytest.mark.parametrize("fmt, extension", [("PNG", "png"), ("WEBP", "webp")])
def test_png_and_webp_photos_lose_their_exif_too(fmt, extension):
    original = photo_with_gps(fmt)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)

    cleaned = uploads.clean_photo(upload(f"a.{extension}", original), field="photo")

    assert not has_exif(cleaned.read())


def test_a_photo_without_metadata_is_kept_as_it_came():
    original = plain_photo()
    cleaned = uploads.clean_photo(upload("a.jpg", original), field="photo")
    assert cleaned.read() == original


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("a.png", b"just some text, not a picture", "文件内容与扩展名 .png 不符。"),
        ("a.jpg", plain_photo("PNG"), "文件内容与扩展名 .jpg 不符。"),
        ("a.bmp", b"BM....", "照片必须是 JPEG / PNG / WEBP / GIF 格式。"),
        ("a.heic", b"\x00\x00\x00\x18ftypheic", "无法处理 HEIC 照片"),
        ("a.png", b"\x89PNG\r\n\x1a\nbroken", "无法识别的图像"),
    ],
)
def test_what_is_not_a_photo_is_refused(name, content, message):
    error = _refusal(lambda: uploads.clean_photo(upload(name, content), field="photo"))
    assert error.field == "photo" and message in error.message


@pytest.mark.parametrize(
    "name, content",
    [
        ("报价.pdf", b"%PDF-1.7\n..."),
        ("清单.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32),
        ("记录.docx", b"PK\x03\x04" + b"\x00" * 32),
        ("说明.txt", "现场电源线被拉断".encode("gb18030")),
        ("说明.txt", "现场电源线被拉断".encode()),
    ],
)
def test_documents_whose_content_matches_their_extension_are_accepted(name, content):
    stored = uploads.check_file(
        upload(name, content, "application/octet-stream"),
        field="attachment", extensions=EVIDENCE, max_bytes=1024,
    )  # fmt: skip
    assert stored.read() == content


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("virus.exe", b"MZ", "不支持的文件类型 .exe"),
        ("报价.pdf", b"MZ\x90\x00", "文件内容与扩展名 .pdf 不符。"),
        ("说明.txt", b"\x00\x01\x02binary", "文件内容与扩展名 .txt 不符。"),
        ("大.pdf", b"%PDF-" + b"0" * 2000, "文件过大（2 KB），不能超过 1 KB。"),
    ],
)
def test_other_files_are_refused_with_the_reason(name, content, message):
    attachment = upload(name, content, "application/pdf")

    error = _refusal(
        lambda: uploads.check_file(
            attachment, field="attachment", extensions=EVIDENCE, max_bytes=1024
        )
    )

    assert error.field == "attachment" and message in error.message


def test_a_photo_attachment_is_cleaned_like_a_photo():
    stored = uploads.check_file(
        upload("现场.jpg", photo_with_gps()),
        field="attachment", extensions=EVIDENCE, max_bytes=10**6,
    )  # fmt: skip
    assert not has_exif(stored.read())
