"""The library through the API (issue 10 #7): documents, versions and patches, third-party
coverage with renewals, consulting with its moves — the same services as the web, scoped to
the caller, refused with 400/403/404/409 and a stable code."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from weibao.accounts.choices import Role
from weibao.library.models import ConsultingRequest, LibraryDocument, SoftwareChange
from weibao.testing import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.library.tests.urls")]
API = "/api/library"


@pytest.fixture
def engineer(world):
    return f.UserFactory(provider=world.provider_user.provider, roles=[Role.ENGINEER])


@pytest.fixture
def agent(world):
    return f.UserFactory(provider=world.provider_user.provider, roles=[Role.SUPPORT_AGENT])


def test_documents_upload_share_and_download(api, world, agent):
    api.force_authenticate(agent)
    upload = {
        "title": "维护手册",
        "category": "manual",
        "published": True,
        "file": SimpleUploadedFile("m.txt", b"manual"),
    }
    refused = api.post(f"{API}/documents/", upload, format="multipart")
    assert (refused.status_code, refused.json()["capability"]) == (403, "master.edit")
    assert not LibraryDocument.objects.exists()

    api.force_authenticate(world.account_manager)
    upload["file"] = SimpleUploadedFile("m.txt", b"manual")
    created = api.post(f"{API}/documents/", upload, format="multipart")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    narrowed = api.post(
        f"{API}/documents/{pk}/access/",
        {"published": True, "audience": "selected", "customers": []},
        format="json",
    )
    assert (narrowed.status_code, narrowed.json()["code"]) == (400, "no_customers")

    api.force_authenticate(world.user_a)
    assert [d["title"] for d in api.get(f"{API}/documents/").json()["results"]] == ["维护手册"]
    download = api.get(f"{API}/documents/{pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"manual"
    assert api.post(f"{API}/documents/{pk}/access/", {"published": False}).status_code == 403


def test_versions_and_patches_by_engineers_not_customers(api, world, engineer, agent):
    body = {"asset": world.asset_a.pk, "kind": "upgrade", "to_version": "V4.0"}
    for outsider in (world.user_a, agent):
        api.force_authenticate(outsider)
        assert api.post(f"{API}/software-changes/", body, format="json").status_code == 403
    assert not SoftwareChange.objects.exists()
    api.force_authenticate(engineer)
    created = api.post(f"{API}/software-changes/", body, format="json")
    assert created.status_code == 201
    assert (created.json()["to_version"], created.json()["applied_by"]) == ("V4.0", engineer.pk)
    world.asset_a.refresh_from_db()
    assert world.asset_a.software_version == "V4.0"
    missing = api.post(f"{API}/software-changes/", {"asset": world.asset_a.pk, "kind": "patch"})
    assert (missing.status_code, missing.json()["code"]) == (400, "patch_name_required")
    api.force_authenticate(world.user_b)
    assert api.get(f"{API}/software-changes/").json()["results"] == []


def test_coverage_register_renew_and_find_for_an_asset(api, world, frozen_clock):
    frozen_clock(dt.datetime(2026, 6, 1, 8, 0))
    body = {
        "customer": world.customer_a.pk,
        "vendor": "华为技术",
        "covers": "核心交换机",
        "start_date": "2025-10-01",
        "expiry_date": "2026-09-30",
        "assets": [world.asset_a.pk],
        "contact_name": "王工",
        "contact_phone": "4008",
    }
    api.force_authenticate(world.account_manager)
    created = api.post(f"{API}/coverages/", body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    other = {**body, "customer": world.customer_b.pk, "assets": []}
    assert api.post(f"{API}/coverages/", other, format="json").status_code == 403

    same = api.post(
        f"{API}/coverages/{pk}/renew/", {"start_date": "2026-10-01", "expiry_date": "2026-09-30"}
    )
    assert same.status_code == 400
    renewed = api.post(
        f"{API}/coverages/{pk}/renew/",
        {"start_date": "2026-10-01", "expiry_date": "2027-09-30", "contract_number": "N-2"},
        format="json",
    )
    assert renewed.status_code == 200
    assert renewed.json()["current_period"]["expiry_date"] == "2027-09-30"
    assert (
        api.post(f"{API}/coverages/{pk}/reminders/", {"reminder_days": "abc"}).json()["code"]
        == "invalid"
    )

    found = api.get(f"{API}/coverages/for-asset/?asset={world.asset_a.pk}&on=2026-06-01")
    assert (found.status_code, found.json()["contact_name"]) == (200, "王工")
    none = api.get(f"{API}/coverages/for-asset/?asset={world.asset_a.pk}&on=2028-01-01")
    assert none.status_code == 204

    api.force_authenticate(world.user_a)
    assert api.get(f"{API}/coverages/{pk}/").status_code == 200
    assert api.post(f"{API}/coverages/{pk}/renew/", {}).status_code == 403
    api.force_authenticate(world.user_b)
    assert api.get(f"{API}/coverages/{pk}/").status_code == 404


def test_consulting_walks_its_flow_through_the_api(api, world, engineer, agent):
    api.force_authenticate(world.user_a)
    created = api.post(f"{API}/consulting/", {"title": "扩容", "description": "新增 20 个端局"})
    assert created.status_code == 201, created.json()
    pk, url = created.json()["id"], f"{API}/consulting/{created.json()['id']}"
    assert created.json()["customer"] == world.customer_a.pk
    assert api.post(f"{url}/draft/", {"proposal": "x"}).status_code == 403

    api.force_authenticate(agent)
    assert api.post(f"{url}/draft/", {"proposal": "x"}).status_code == 403
    api.force_authenticate(engineer)
    assert [m["verb"] for m in api.get(f"{url}/").json()["moves"]["allowed"]] == [
        "draft",
        "withdraw",
    ]
    early = api.post(f"{url}/deliver/")
    assert (early.status_code, early.json()["code"]) == (409, "wrong_state")
    drafted = api.post(f"{url}/draft/", {"proposal": "增加 2 台接入服务器"})
    assert drafted.json()["state"] == "proposal_drafted"
    assert api.post(f"{url}/deliver/").json()["state"] == "proposal_delivered"

    api.force_authenticate(world.user_a)
    assert api.get(f"{url}/").json()["proposal"] == "增加 2 台接入服务器"
    no_reason = api.post(f"{url}/revise/", {"note": ""})
    assert (no_reason.status_code, no_reason.json()["code"]) == (400, "note_required")
    assert api.post(f"{url}/close/").json()["state"] == "closed"
    api.force_authenticate(world.user_b)
    assert api.post(f"{url}/close/").status_code == 404
    assert ConsultingRequest.objects.get(pk=pk).state == "closed"


def test_owner_is_assigned_by_the_maintenance_manager(api, world, engineer):
    api.force_authenticate(world.user_a)
    pk = api.post(f"{API}/consulting/", {"title": "t", "description": "d"}).json()["id"]
    api.force_authenticate(engineer)
    assert api.post(f"{API}/consulting/{pk}/owner/", {"owner": engineer.pk}).status_code == 403
    manager = f.UserFactory(provider=engineer.provider, roles=[Role.MAINTENANCE_MANAGER])
    api.force_authenticate(manager)
    assigned = api.post(f"{API}/consulting/{pk}/owner/", {"owner": engineer.pk})
    assert (assigned.status_code, assigned.json()["owner"]) == (200, engineer.pk)


def test_openapi_lists_the_library_with_its_error_answers(api, world):
    api.force_authenticate(world.admin)
    paths = api.get("/api/schema/?format=json").json()["paths"]
    for path in (
        "/api/library/documents/",
        "/api/library/documents/{id}/access/",
        "/api/library/software-changes/",
        "/api/library/coverages/{id}/renew/",
        "/api/library/coverages/for-asset/",
        "/api/library/consulting/{id}/deliver/",
    ):
        assert path in paths, path
    answers = paths["/api/library/consulting/{id}/deliver/"]["post"]["responses"]
    assert {"200", "400", "403", "404", "409"} <= set(answers)
