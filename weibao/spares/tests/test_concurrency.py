"""A part type edited by two people: the later save from an older page is refused with the
other person's values ("已被他人修改"), on the web form and through the API (412)."""

import re
from decimal import Decimal

import pytest

from weibao.core.concurrency import etag_of
from weibao.spares.models import PartType
from weibao.testing import factories as f


@pytest.fixture
def admin(hw):
    return f.UserFactory(provider=hw.provider, is_superuser=True)


def _version(page) -> str:
    return re.search(r'name="_version" value="([0-9a-f]+)"', page.content.decode()).group(1)


def _form(part_type, **changes):
    values = {
        "part_number": part_type.part_number,
        "name": part_type.name,
        "catalog_price": str(part_type.catalog_price or ""),
        "notes": part_type.notes,
    }
    return {**values, **changes}


def test_a_stale_part_type_form_is_refused_with_the_other_persons_values(client, hw, admin):
    url = f"/spares/part-types/{hw.board.pk}/"
    client.force_login(admin)
    version = _version(client.get(url))
    # someone else saves a new price meanwhile
    assert client.post(url, {**_form(hw.board, catalog_price="222.00"), "_version": version})
    stale = client.post(url, {**_form(hw.board, catalog_price="111.00"), "_version": version})
    assert stale.status_code == 409
    text = stale.content.decode()
    assert "已被他人修改" in text
    assert re.search(r'data-field="catalog_price"><td>[^<]*</td><td>222.00<', text)
    assert 'value="111.00"' in text  # what was typed is kept
    hw.board.refresh_from_db()
    assert hw.board.catalog_price == Decimal("222.00")
    # the refused page carries the stored version: saving again overwrites knowingly
    again = client.post(
        url, {**_form(hw.board, catalog_price="111.00"), "_version": _version(stale)}
    )
    assert again.status_code == 302
    hw.board.refresh_from_db()
    assert hw.board.catalog_price == Decimal("111.00")


def test_a_fresh_part_type_form_saves(client, hw, admin):
    url = f"/spares/part-types/{hw.board.pk}/"
    client.force_login(admin)
    version = _version(client.get(url))
    saved = client.post(url, {**_form(hw.board, name="主控板（新）"), "_version": version})
    assert saved.status_code == 302
    assert PartType.objects.get(pk=hw.board.pk).name == "主控板（新）"


def test_a_stale_part_type_write_through_the_api_answers_412(api, hw, admin):
    url = f"/api/spare-part-types/{hw.board.pk}/"
    api.force_authenticate(admin)
    read = api.get(url)
    assert read["ETag"] == etag_of(hw.board)
    fresh = api.patch(url, {"catalog_price": "222.00"}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert fresh.status_code == 200 and fresh["ETag"] != read["ETag"]
    stale = api.patch(url, {"catalog_price": "111.00"}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert (stale.status_code, stale.json()["code"]) == (412, "stale")
    assert "已被他人修改" in stale.json()["message"]
    assert PartType.objects.get(pk=hw.board.pk).catalog_price == Decimal("222.00")
