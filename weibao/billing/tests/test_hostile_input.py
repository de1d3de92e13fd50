"""Hostile input to billing: texts that look like formulas reach the Excel statement as text,
and evidence attachments are checked before they are stored (web form and API)."""

import io

import pytest
from openpyxl import load_workbook

from weibao.billing import services
from weibao.billing.models import Exclusion, Statement
from weibao.core.tests.images import (
    FORMULAS,
    bomb_png,
    formula_cells,
    has_exif,
    photo_with_gps,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.billing.tests.urls")]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _cells(book) -> dict:
    return {cell.value: cell for row in book.active.iter_rows() for cell in row if cell.value}


@pytest.mark.parametrize("text", FORMULAS)
def test_the_excel_statement_writes_formula_like_texts_as_text(
    text, draft, desk, client, api, causes
):
    desk.customer.name = text
    desk.customer.save()
    cause = draft.exclusion.causes.get()
    cause.name = f"{text}原因"
    cause.save()
    services.add_line(draft, kind="labour", description=text, quantity="1", unit_price="10",
                      actor=desk.engineer)  # fmt: skip
    client.force_login(desk.engineer)
    api.force_authenticate(desk.engineer)

    for response in (
        client.get(f"/billing/{draft.pk}/download/xlsx/"),
        api.get(f"/api/statements/{draft.pk}/xlsx/"),
    ):
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.content))
        cells = _cells(book)
        assert formula_cells(book) == []
        for value in (text, f"{text}原因", text.strip()):  # the description is stored stripped
            assert cells[value].data_type == "s"
        assert isinstance(cells["合计"].offset(column=7).value, int | float)  # numbers stay


def _mark_on_page(client, desk, causes, attachment):
    ticket = desk.open(level="L3")
    client.force_login(desk.engineer)
    return client.post(
        f"/billing/tickets/{ticket.pk}/out-of-scope/",
        {"causes": [causes["negligence"].pk], "evidence": "机柜被挪动",
         "attachment": attachment},
    )  # fmt: skip


def _mark_through_api(api, desk, causes, attachment):
    ticket = desk.open(level="L3")
    api.force_authenticate(desk.engineer)
    return api.post(
        "/api/exclusions/",
        {"ticket": ticket.pk, "causes": [causes["negligence"].pk], "evidence": "机柜被挪动",
         "attachment": attachment},
        format="multipart",
    )  # fmt: skip


REFUSED = [
    ("现场.png", bomb_png(12_000), "图像最多 4000 万像素"),
    ("现场.png", b"this is a text, not a picture", "文件内容与扩展名 .png 不符"),
    ("现场.jpg", b"\xff\xd8\xff" + b"\x00" * (20 * 1024 * 1024), "不能超过 20 MB"),
]


@pytest.mark.parametrize("name, content, message", REFUSED)
def test_a_bad_attachment_is_refused_on_the_page(client, desk, causes, media, name, content,
                                                 message):  # fmt: skip
    response = _mark_on_page(client, desk, causes, upload(name, content))

    assert response.status_code == 400  # the form again, with the attachment's error, as the API
    assert message in response.context["form"].errors["attachment"][0]
    assert not Exclusion.objects.exists() and not Statement.objects.exists()


@pytest.mark.parametrize("name, content, message", REFUSED)
def test_a_bad_attachment_is_refused_by_the_api(api, desk, causes, media, name, content,
                                                message):  # fmt: skip
    response = _mark_through_api(api, desk, causes, upload(name, content))

    assert response.status_code == 400
    assert message in response.json()["fields"]["attachment"][0]
    assert not Exclusion.objects.exists() and not Statement.objects.exists()


def test_a_photo_is_stored_without_its_gps_position(client, api, desk, causes, media):
    on_page = _mark_on_page(client, desk, causes, upload("现场.jpg", photo_with_gps()))
    through_api = _mark_through_api(api, desk, causes, upload("现场.jpg", photo_with_gps()))

    assert on_page.status_code == 302 and through_api.status_code == 201
    for exclusion in Exclusion.objects.all():
        stored = client.get(f"/billing/exclusions/{exclusion.pk}/evidence/")
        assert not has_exif(b"".join(stored.streaming_content))
