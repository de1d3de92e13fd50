"""PRM-1 in the library: everyone reads (`report.read`); documents and third-party coverage
are written by provider staff with `master.edit`, versions also by engineers; customers open
consulting requests for their own organisation and engineers answer. Other roles get 403 on
the web as through the API, and nothing changes. Refused forms keep what was typed."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from weibao.accounts.choices import Role
from weibao.library import services
from weibao.library.models import ConsultingRequest, LibraryDocument, SoftwareChange
from weibao.testing import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.library.tests.urls")]


@pytest.fixture
def roles(world):
    provider = world.provider_user.provider
    return {
        "agent": f.UserFactory(provider=provider, roles=[Role.SUPPORT_AGENT]),
        "engineer": f.UserFactory(provider=provider, roles=[Role.ENGINEER]),
        "keeper": f.UserFactory(provider=provider, roles=[Role.SPARE_KEEPER]),
    }


def test_only_master_edit_uploads_documents(client, world, roles):
    for user in (roles["agent"], roles["engineer"], world.user_a):
        client.force_login(user)
        assert client.get("/library/documents/new/").status_code == 403
        upload = {
            "title": "手册",
            "category": "manual",
            "audience": "all",
            "file": SimpleUploadedFile("m.txt", b"m"),
        }
        assert client.post("/library/documents/new/", upload).status_code == 403
    assert not LibraryDocument.objects.exists()
    client.force_login(world.account_manager)
    upload = {
        "title": "手册",
        "category": "manual",
        "audience": "all",
        "file": SimpleUploadedFile("m.txt", b"m"),
    }
    assert client.post("/library/documents/new/", upload).status_code == 302


def test_versions_by_engineers_not_by_agents_or_keepers(client, world, roles):
    body = {"asset": world.asset_a.pk, "kind": "upgrade", "to_version": "V9"}
    for user in (roles["agent"], roles["keeper"]):
        client.force_login(user)
        assert client.post("/library/versions/new/", body).status_code == 403
    assert not SoftwareChange.objects.exists()
    client.force_login(roles["engineer"])
    assert client.post("/library/versions/new/", body).status_code == 302
    assert SoftwareChange.objects.count() == 1


def test_coverage_writes_are_master_edit_for_the_own_customers(client, world, roles):
    coverage = services.register_coverage(
        customer=world.customer_b,
        vendor="华为",
        covers="交换机",
        start_date=dt.date(2026, 1, 1),
        expiry_date=dt.date(2026, 12, 31),
        actor=world.admin,
    )
    renewal = {"start_date": "2027-01-01", "expiry_date": "2027-12-31"}
    for user in (roles["engineer"], world.account_manager):  # AM of customer A only
        client.force_login(user)
        assert client.post(f"/library/coverages/{coverage.pk}/renew/", renewal).status_code == 403
        reminders = {"reminder_days": "10"}
        url = f"/library/coverages/{coverage.pk}/reminders/"
        assert client.post(url, reminders).status_code == 403
    coverage.refresh_from_db()
    assert (coverage.periods.count(), coverage.reminder_days) == (1, "60,30,7")
    client.force_login(roles["engineer"])
    assert client.get("/library/coverages/new/").status_code == 403


def test_a_refused_renewal_keeps_what_was_typed(client, world):
    coverage = services.register_coverage(
        customer=world.customer_a,
        vendor="华为",
        covers="交换机",
        start_date=dt.date(2026, 1, 1),
        expiry_date=dt.date(2026, 12, 31),
        actor=world.admin,
    )
    client.force_login(world.account_manager)
    page = client.post(
        f"/library/coverages/{coverage.pk}/renew/",
        {
            "start_date": "2026-06-01",
            "expiry_date": "2026-11-30",
            "contract_number": "HW-TYPED",
            "note": "续保说明",
        },
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "HW-TYPED" in text and "续保说明" in text and "必须晚于当前到期日期" in text
    bad_days = client.post(f"/library/coverages/{coverage.pk}/reminders/", {"reminder_days": "x1"})
    assert 'value="x1"' in bad_days.content.decode()
    assert coverage.periods.count() == 1


def test_consulting_refusals_keep_the_reason_and_the_proposal(client, world, roles):
    request = services.submit_consulting(
        customer=world.customer_a, title="改造", description="需求", actor=world.user_a
    )
    engineer = roles["engineer"]
    client.force_login(engineer)
    empty = client.post(f"/library/consulting/{request.pk}/draft/", {"proposal": "  "})
    assert empty.status_code == 200 and "请填写改造方案" in empty.content.decode()
    client.force_login(roles["agent"])
    assert (
        client.post(f"/library/consulting/{request.pk}/draft/", {"proposal": "x"}).status_code
        == 403
    )
    client.force_login(world.user_a)
    page = client.post(f"/library/consulting/{request.pk}/deliver/")
    assert page.status_code == 409 and 'data-move="draft"' not in page.content.decode()
    client.force_login(engineer)
    services.move_consulting(request, "draft", proposal="方案 A", actor=engineer)
    services.move_consulting(request, "deliver", actor=engineer)
    request.refresh_from_db()
    client.force_login(world.user_b)
    assert client.post(f"/library/consulting/{request.pk}/close/").status_code == 404
    request.refresh_from_db()
    assert request.state == "proposal_delivered"


def test_customers_open_consulting_only_for_themselves(client, world, roles):
    client.force_login(roles["keeper"])  # no ticket.open
    assert client.get("/library/consulting/new/").status_code == 403
    client.force_login(world.user_a)
    typed = {"customer": world.customer_a.pk, "title": "机房搬迁", "description": ""}
    page = client.post("/library/consulting/new/", typed)
    assert page.status_code == 200 and "机房搬迁" in page.content.decode()
    assert not ConsultingRequest.objects.exists()


def test_reading_the_library_needs_report_read(client, world):
    nobody = f.UserFactory(provider=world.provider_user.provider, roles=[])
    client.force_login(nobody)
    assert client.get("/library/documents/").status_code == 403
    client.force_login(world.user_a)
    assert client.get("/library/documents/").status_code == 200
