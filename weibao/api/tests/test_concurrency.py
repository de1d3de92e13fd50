"""Concurrent writers through the API: every editable object answers an `ETag`, and a write
that sends `If-Match` with a tag older than the stored object is refused with 412 `stale`,
changing nothing; a write without `If-Match` is not checked."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from weibao.sites.models import Site

pytestmark = pytest.mark.django_db


def site_url(site):
    return f"/api/sites/{site.pk}/"


def test_reading_an_object_gives_its_etag_and_a_write_gives_the_new_one(api, world):
    api.force_authenticate(world.admin)
    first = api.get(site_url(world.site_a))
    assert first.status_code == 200
    tag = first["ETag"]
    assert tag.startswith('"') and tag.endswith('"')
    assert api.get(site_url(world.site_a))["ETag"] == tag  # stable while nothing changes

    changed = api.patch(site_url(world.site_a), {"name": "改名端局"}, HTTP_IF_MATCH=tag)

    assert changed.status_code == 200, changed.json()
    assert changed["ETag"] != tag
    assert api.get(site_url(world.site_a))["ETag"] == changed["ETag"]


def test_a_write_with_a_stale_etag_answers_412_and_changes_nothing(api, world):
    api.force_authenticate(world.admin)
    stale = api.get(site_url(world.site_a))["ETag"]
    other = APIClient()
    other.force_authenticate(world.account_manager)
    assert other.patch(site_url(world.site_a), {"duty_phone": "025-1111"}).status_code == 200

    body = {**api.get(site_url(world.site_a)).json(), "name": "我的改名"}
    refused = api.put(site_url(world.site_a), body, format="json", HTTP_IF_MATCH=stale)

    assert refused.status_code == 412
    assert refused.json() == {
        "code": "stale",
        "message": "已被他人修改，请刷新后再改。",
        "fields": {},
    }
    world.site_a.refresh_from_db()
    assert (world.site_a.name, world.site_a.duty_phone) == ("甲端局", "025-1111")

    assert api.delete(site_url(world.site_a), HTTP_IF_MATCH=stale).status_code == 412
    assert Site.objects.filter(pk=world.site_a.pk).exists()


def test_a_write_with_the_current_etag_or_without_if_match_succeeds(api, world):
    api.force_authenticate(world.admin)
    current = api.get(site_url(world.site_a))["ETag"]

    ok = api.patch(site_url(world.site_a), {"name": "新名"}, HTTP_IF_MATCH=current)
    assert ok.status_code == 200, ok.json()
    unchecked = api.patch(site_url(world.site_a), {"notes": "无条件写入"})
    assert unchecked.status_code == 200, unchecked.json()

    world.site_a.refresh_from_db()
    assert (world.site_a.name, world.site_a.notes) == ("新名", "无条件写入")


@pytest.mark.parametrize(
    ("url", "attr", "field", "value"),
    [
        ("/api/customers/{}/", "customer_a", "name", "甲客户（新）"),
        ("/api/assets/{}/", "asset_a", "name", "新设备名"),
        ("/api/contracts/{}/", "contract_a", "title", "新合同名"),
    ],
)
def test_other_master_data_is_guarded_the_same_way(api, world, url, attr, field, value):
    api.force_authenticate(world.admin)
    address = url.format(getattr(world, attr).pk)
    stale = api.get(address)["ETag"]
    assert api.patch(address, {field: value}, HTTP_IF_MATCH=stale).status_code == 200

    refused = api.patch(address, {field: "又改了"}, HTTP_IF_MATCH=stale)

    assert refused.status_code == 412
    assert refused.json()["code"] == "stale"
    assert api.get(address).json()[field] == value


def test_the_schema_names_if_match_and_etag(api, world):
    api.force_authenticate(world.admin)
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    detail = schema["paths"]["/api/sites/{id}/"]
    for method in ("put", "patch", "delete"):
        names = [p["name"] for p in detail[method].get("parameters", []) if p["in"] == "header"]
        assert "If-Match" in names, method
    assert "ETag" in detail["get"]["responses"]["200"]["headers"]
    assert "ETag" in detail["patch"]["responses"]["200"]["headers"]
    assert "412" in detail["patch"]["responses"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_writers_with_the_same_etag_exactly_one_succeeds(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks under parallel threads need PostgreSQL")
    reader = APIClient()
    reader.force_authenticate(world.admin)
    tag = reader.get(site_url(world.site_a))["ETag"]
    start = threading.Barrier(2)
    statuses, errors = [], []

    def write(name):
        try:
            client = APIClient()
            client.force_authenticate(world.admin)
            start.wait()
            response = client.patch(site_url(world.site_a), {"name": name}, HTTP_IF_MATCH=tag)
            statuses.append((response.status_code, name))
        except BaseException as exc:  # surfaced in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(f"并发{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    assert sorted(code for code, _ in statuses) == [200, 412]
    [winner] = [name for code, name in statuses if code == 200]
    world.site_a.refresh_from_db()
    assert world.site_a.name == winner
