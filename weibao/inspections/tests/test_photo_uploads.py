"""A check's photo is measured before it is decoded, must really be a picture, and is stored
without the EXIF that tells where it was taken — on the checklist page and through the API."""

import datetime as dt
import io

import pytest
from PIL import Image

from weibao.core.tests.images import bomb_png, has_exif, photo_with_gps, upload
from weibao.inspections import services
from weibao.inspections.choices import CheckOutcome, VisitKind
from weibao.inspections.models import InspectionVisit

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.inspections.tests.urls")]


@pytest.fixture
def check(estate, frozen_clock, settings, tmp_path):
    """The first item of a started visit, recorded by the estate's engineer."""
    settings.MEDIA_ROOT = tmp_path
    frozen_clock(dt.datetime(2026, 3, 2, 9, 0))
    services.generate_plan(estate.contract, on=dt.date(2026, 3, 2))
    visit = InspectionVisit.objects.filter(site=estate.center, kind=VisitKind.CORE).first()
    services.start_visit(visit, actor=estate.engineer)
    return visit.checks.order_by("order", "id").first()


def _on_page(client, estate, check, photo):
    client.force_login(estate.engineer)
    return client.post(
        f"/inspections/checks/{check.pk}/",
        {f"c{check.pk}-outcome": "pass", f"c{check.pk}-photo": photo},
    )


def _through_api(api, estate, check, photo):
    api.force_authenticate(estate.engineer)
    return api.post(
        f"/api/inspection-checks/{check.pk}/record/",
        {"outcome": "pass", "photo": photo},
        format="multipart",
    )


REFUSED = [
    ("ups.png", bomb_png(12_000), "图像尺寸过大"),
    ("ups.png", b"not a picture, only text", "文件内容与扩展名 .png 不符"),
    ("ups.jpg", b"\xff\xd8\xff" + b"\x00" * (20 * 1024 * 1024), "不能超过 20 MB"),
]


@pytest.mark.parametrize("name, content, message", REFUSED)
def test_a_bad_photo_is_refused_on_the_page(client, estate, check, name, content, message):
    response = _on_page(client, estate, check, upload(name, content))

    assert response.status_code == 400
    assert message in response.content.decode()
    check.refresh_from_db()
    assert check.outcome == CheckOutcome.PENDING and not check.photo


@pytest.mark.parametrize("name, content, message", REFUSED)
def test_a_bad_photo_is_refused_by_the_api(api, estate, check, name, content, message):
    response = _through_api(api, estate, check, upload(name, content))

    assert response.status_code == 400
    assert message in response.json()["fields"]["photo"][0]
    check.refresh_from_db()
    assert check.outcome == CheckOutcome.PENDING and not check.photo


@pytest.mark.parametrize("way", ["page", "api"])
def test_the_photo_is_stored_upright_without_its_gps_position(client, api, estate, check, way):
    photo = upload("ups.jpg", photo_with_gps(size=(64, 32)))
    if way == "page":
        assert _on_page(client, estate, check, photo).status_code == 302
    else:
        assert _through_api(api, estate, check, photo).status_code == 200

    check.refresh_from_db()
    stored = check.photo.read()
    assert not has_exif(stored)
    assert Image.open(io.BytesIO(stored)).size == (32, 64)
    client.force_login(estate.engineer)
    served = client.get(f"/inspections/checks/{check.pk}/photo/")
    assert b"".join(served.streaming_content) == stored


def test_a_bad_photo_sent_by_htmx_swaps_the_card_with_the_error(client, estate, check):
    """htmx swaps no 4xx answer, so the refused card comes back with 200 (a plain post: 400)."""
    client.force_login(estate.engineer)
    response = client.post(
        f"/inspections/checks/{check.pk}/",
        {f"c{check.pk}-outcome": "pass",
         f"c{check.pk}-photo": upload("ups.png", b"not a picture, only text")},
        headers={"HX-Request": "true", "HX-Target": f"check-{check.pk}"},
    )  # fmt: skip

    assert response.status_code == 200
    assert "文件内容与扩展名 .png 不符" in response.content.decode()
    check.refresh_from_db()
    assert check.outcome == CheckOutcome.PENDING and not check.photo
