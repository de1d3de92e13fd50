"""Who may do what with a repair (PRM-1), decided once in the services: a role without the
capability gets 403 through the API and the web, and nothing changes. Refused web actions
re-render the page with what was typed."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from weibao.accounts.choices import Role
from weibao.repairs import services
from weibao.repairs.models import Repair
from weibao.testing import factories as f

pytestmark = pytest.mark.urls("weibao.repairs.tests.urls")
SH = ZoneInfo("Asia/Shanghai")
D = dt.date


@pytest.fixture
def repair(hw, frozen_clock):
    frozen_clock(dt.datetime(2026, 10, 12, 9, 0, tzinfo=SH))
    return services.register_repair(
        asset=hw.asset, fault_description="主控板无法启动", received_on=D(2026, 9, 15),
        actor=hw.keeper,
    )  # fmt: skip


def _user(hw, role):
    if role == "customer_staff":
        return hw.customer_user
    if role == "customer_leader":
        return f.CustomerUserFactory(customer=hw.customer, roles=[Role.CUSTOMER_LEADER])
    return f.UserFactory(provider=hw.provider, roles=[role])


def _state(repair):
    repair = Repair.objects.with_billable().get(pk=repair.pk)
    return (repair.status, repair.hops.count(), repair.billable, repair.statements.count())


# (API path suffix, body, web verb, web form)
ACTIONS = [
    ("move/", {"action": "send_to_center"}, "send_to_center", {}),
    ("hops/", {"leg": "office_to_center", "tracking_number": "SF9"}, "hop",
     {"leg": "office_to_center", "tracking_number": "SF9"}),
    ("billable/", {"causes": ["negligence"], "evidence": "误操作"}, "billable",
     {"causes": ["negligence"], "evidence": "误操作"}),
]  # fmt: skip


@pytest.mark.parametrize("role", [Role.ENGINEER, Role.SUPPORT_AGENT, "customer_staff"])
@pytest.mark.parametrize(("path", "body", "verb", "form"), ACTIONS)
def test_route_actions_need_spares_operate(hw, repair, client, role, path, body, verb, form):
    user = _user(hw, role)
    before = _state(repair)
    api = APIClient()
    api.force_authenticate(user)
    answer = api.post(f"/api/repairs/{repair.pk}/{path}", body, format="json")
    assert (answer.status_code, answer.json()["code"]) == (403, "permission_denied")
    assert "spares.operate" in answer.json()["message"]
    client.force_login(user)
    assert client.post(f"/repairs/{repair.pk}/{verb}/", form).status_code == 403
    assert _state(repair) == before


@pytest.mark.parametrize(("role", "allowed"), [
    (Role.ENGINEER, False), ("customer_leader", False), (Role.SUPPORT_AGENT, True),
    ("customer_staff", True), (Role.SPARE_KEEPER, True),
])  # fmt: skip
def test_registration_needs_repair_register(hw, frozen_clock, client, role, allowed):
    frozen_clock(dt.datetime(2026, 10, 12, 9, 0, tzinfo=SH))
    user = hw.keeper if role == Role.SPARE_KEEPER else _user(hw, role)
    api = APIClient()
    api.force_authenticate(user)
    body = {"asset": hw.asset.pk, "fault_description": "x", "received_at": "2026-10-12"}
    answer = api.post("/api/repairs/", body, format="json")
    assert answer.status_code == (201 if allowed else 403), answer.json()
    client.force_login(user)
    assert client.get("/repairs/new/").status_code == (200 if allowed else 403)
    assert Repair.objects.count() == (1 if allowed else 0)


def test_a_refused_hop_keeps_the_tracking_number_typed(hw, repair, client):
    client.force_login(hw.keeper)
    page = client.post(
        f"/repairs/{repair.pk}/hop/",
        {"leg": "office_to_center", "shipped_on": "2026-09-20", "arrived_on": "2026-09-18",
         "carrier": "顺丰", "tracking_number": "SF1234567890"},
    )  # fmt: skip
    html = page.content.decode()
    assert page.status_code == 400
    assert 'value="SF1234567890"' in html and "到达日期不能早于寄出日期" in html
    assert repair.hops.count() == 1


def test_a_refused_marking_keeps_the_evidence_typed(hw, repair, client):
    client.force_login(hw.keeper)
    page = client.post(
        f"/repairs/{repair.pk}/billable/",
        {"causes": ["emergency_swap_repair"], "evidence": "应急抢修换下的主控板 C12 烧毁",
         "attachment": SimpleUploadedFile("run.exe", b"MZ\x90\x00", "application/octet-stream")},
    )  # fmt: skip
    html = page.content.decode()
    assert page.status_code == 400
    assert "应急抢修换下的主控板 C12 烧毁" in html and 'data-testid="billable-form"' in html
    assert "errorlist" in html
    assert _state(repair)[2:] == (False, 0)


def test_a_refused_re_registration_keeps_the_reason(hw, repair, client):
    client.force_login(hw.keeper)
    page = client.post(f"/repairs/{repair.pk}/fail_trial/", {"reason": "上电后又重启"})
    html = page.content.decode()
    assert page.status_code == 409
    assert "上电后又重启" in html and 'data-testid="action-error"' in html
    assert Repair.objects.count() == 1


def test_the_page_offers_the_moves_the_workflow_allows(hw, repair, client):
    client.force_login(hw.keeper)
    html = client.get(f"/repairs/{repair.pk}/").content.decode()
    assert 'data-move="send_to_center"' in html and 'data-move="pass_trial"' not in html
    client.force_login(_user(hw, Role.ENGINEER))
    assert 'data-move="send_to_center"' not in client.get(f"/repairs/{repair.pk}/").content.decode()


def test_api_lists_allowed_and_blocked_moves(hw, repair):
    api = APIClient()
    api.force_authenticate(hw.keeper)
    moves = api.get(f"/api/repairs/{repair.pk}/").json()["moves"]
    assert {m["verb"] for m in moves["allowed"]} == {"send_to_center", "repaired", "unrepairable"}
    api.force_authenticate(hw.customer_user)
    moves = api.get(f"/api/repairs/{repair.pk}/").json()["moves"]
    assert moves["allowed"] == []
    assert {m["code"] for m in moves["blocked"]} == {"permission_denied"}
