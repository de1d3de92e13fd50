"""Resolving (TKT-4, SLA-6): cause, fix and prevention are recorded; an unmet clock is never
marked met by resolving; notes on every move; the callback's one rule (OTH-6)."""

import datetime as dt

import pytest

from weibao.core import clock
from weibao.core.errors import DomainError
from weibao.core.models import ChangeLog
from weibao.tickets import services
from weibao.tickets.models import ResolutionCause

pytestmark = pytest.mark.django_db


def cause(code="equipment_fault"):
    return ResolutionCause.objects.get(code=code)


def test_cause_list_is_data_with_the_exclusion_causes_marked():
    names = set(ResolutionCause.objects.filter(is_exclusion=False).values_list("name", flat=True))
    assert {"设备故障", "软件故障", "配置问题", "传输线路", "供电", "环境", "第三方",
            "用户操作"} <= names  # fmt: skip
    assert ResolutionCause.objects.filter(is_exclusion=True, code="force_majeure").exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [({"cause": None, "fix": "更换模块"}, "cause"), ({"cause": "power", "fix": " "}, "fix")],
)
def test_resolve_needs_cause_and_fix(desk, values, field):
    ticket = desk.open(level="L2")
    services.move(ticket, "start_phone", actor=desk.engineer)
    values = {**values, "cause": values["cause"] and cause(values["cause"])}
    with pytest.raises(DomainError) as error:
        services.resolve(ticket, actor=desk.engineer, **values)
    assert error.value.field == field
    ticket.refresh_from_db()
    assert (ticket.stage, ticket.resolved_at) == ("phone_support", None)


def test_resolve_records_cause_fix_and_prevention_via_the_api(api, desk):
    ticket = desk.open(level="L2")
    services.move(ticket, "start_phone", actor=desk.engineer)
    api.force_authenticate(desk.engineer)
    url = f"/api/tickets/{ticket.pk}/move/"
    response = api.post(url, {"action": "resolve", "note": "已恢复"}, format="json")
    assert (response.status_code, response.json()["fields"].keys()) == (400, {"cause"})
    body = {"action": "resolve", "cause": cause("power").pk, "fix": "更换 UPS 电池",
            "prevention": "每季度检查电池", "note": "客户确认恢复"}  # fmt: skip
    response = api.post(url, body, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["stage"], data["cause"], data["fix"], data["prevention"]) == (
        "resolved",
        cause("power").pk,
        "更换 UPS 电池",
        "每季度检查电池",
    )
    causes = api.get("/api/tickets/causes/").json()
    assert {"code": "power", "is_exclusion": False}.items() <= next(
        c for c in causes if c["code"] == "power"
    ).items()
    event = ChangeLog.objects.filter(kind="ticket.stage").latest("id")
    assert event.changes["note"] == "客户确认恢复"


def test_resolving_never_marks_an_unmet_clock_met(desk, frozen_clock):
    # given an L2 ticket where on-site work was confirmed but nobody arrived
    ticket = desk.open(level="L2")
    services.move(ticket, "start_phone", actor=desk.engineer)
    services.move(ticket, "go_onsite", actor=desk.engineer)
    frozen_clock(clock.now() + dt.timedelta(hours=1))
    # when it is resolved remotely
    services.resolve(ticket, cause=cause("software_fault"), fix="远程重启", actor=desk.engineer)
    # then the running clocks are closed unmet, the met one stays met, none was started anew
    states = dict(ticket.clocks.values_list("kind", "state"))
    assert states == {"phone_response": "met", "onsite_response": "unmet",
                      "onsite_arrival": "unmet"}  # fmt: skip
    arrival = ticket.clocks.get(kind="onsite_arrival")
    assert (arrival.met_at, arrival.closed_at) == (None, clock.now())
    assert arrival.get_state_display() == "解决前未达成"
    assert not ticket.clocks.filter(kind="remote_response").exists()  # never started: not counted


def test_a_paused_clock_is_closed_unmet_on_resolve(desk, frozen_clock):
    ticket = desk.open(level="L2")
    services.pause(ticket, reason="等待客户开门", actor=desk.engineer)
    services.move(ticket, "start_phone", actor=desk.engineer)
    phone = ticket.clocks.get(kind="phone_response")
    assert phone.state == "met"  # starting phone support is the response itself
    ticket = desk.open(level="L3")
    services.move(ticket, "start_phone", actor=desk.engineer)
    services.record_consent(ticket, by="孔工", method="phone", actor=desk.engineer)
    services.move(ticket, "go_remote", actor=desk.engineer)
    services.pause(ticket, reason="等待客户开通 VPN", actor=desk.engineer)
    services.resolve(ticket, cause=cause("user_operation"), fix="指导操作", actor=desk.engineer)
    remote = ticket.clocks.get(kind="remote_response")
    assert (remote.state, remote.met_at, remote.paused_at) == ("unmet", None, None)


@pytest.mark.parametrize(
    ("satisfied", "score", "code"),
    [(True, None, "score_required"), (False, None, "score_required"),
     (True, 2, "score_contradicts_satisfied"), (True, 1, "score_contradicts_satisfied"),
     (True, 6, "score_invalid")],
)  # fmt: skip
def test_callback_needs_a_consistent_score(desk, satisfied, score, code):
    ticket = desk.open(level="L3")
    services.move(ticket, "start_phone", actor=desk.engineer)
    services.resolve(ticket, cause=cause(), fix="更换", actor=desk.engineer)
    with pytest.raises(DomainError) as error:
        services.record_callback(ticket, satisfied=satisfied, score=score, note="x",
                                 actor=desk.agent)  # fmt: skip
    assert (error.value.code, error.value.field) == (code, "score")
    ticket.refresh_from_db()
    assert (ticket.stage, ticket.callbacks.count()) == ("resolved", 0)


def test_callback_contradiction_in_the_api_and_web_keeps_the_input(api, client, desk):
    ticket = desk.open(level="L3")
    services.move(ticket, "start_phone", actor=desk.engineer)
    services.resolve(ticket, cause=cause(), fix="更换", actor=desk.engineer)
    api.force_authenticate(desk.agent)
    response = api.post(f"/api/tickets/{ticket.pk}/callback/",
                        {"satisfied": True, "score": 2}, format="json")  # fmt: skip
    assert response.status_code == 400
    assert response.json()["code"] == "score_contradicts_satisfied"
    assert "score" in response.json()["fields"]
    client.force_login(desk.agent)
    form = {"callback-satisfied": "yes", "callback-score": "1", "callback-note": "客户说还行"}
    response = client.post(f"/tickets/{ticket.pk}/callback/", form)
    page = response.content.decode()
    assert response.status_code == 400
    assert "矛盾" in page and "客户说还行" in page
    ticket.refresh_from_db()
    assert ticket.stage == "resolved"


def test_web_resolve_refused_keeps_fix_and_prevention_and_shows_the_field_error(client, desk):
    ticket = desk.open(level="L2")
    services.move(ticket, "start_phone", actor=desk.engineer)
    client.force_login(desk.engineer)
    form = {"resolve-fix": "更换采集板", "resolve-prevention": "定期巡检", "resolve-note": "n1"}
    response = client.post(f"/tickets/{ticket.pk}/resolve/", form)
    page = response.content.decode()
    assert response.status_code == 400
    assert "请选择故障原因" in page
    assert "更换采集板" in page and "定期巡检" in page
    response = client.post(f"/tickets/{ticket.pk}/resolve/", {
        "resolve-cause": cause().pk, "resolve-fix": "更换采集板"})  # fmt: skip
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.stage, ticket.cause, ticket.fix) == ("resolved", cause(), "更换采集板")


def test_web_moves_carry_a_note(client, desk):
    ticket = desk.open(level="L2")
    client.force_login(desk.engineer)
    client.post(f"/tickets/{ticket.pk}/start_phone/", {"start_phone-note": "已回电客户"})
    event = ChangeLog.objects.filter(kind="ticket.stage").latest("id")
    assert event.changes["note"] == "已回电客户"


def test_web_pause_without_reason_and_level_change_without_reason_keep_input(client, desk):
    ticket = desk.open(level="L2")
    client.force_login(desk.agent)
    response = client.post(f"/tickets/{ticket.pk}/level/", {"level-level": "L1",
                                                            "level-reason": " "})  # fmt: skip
    assert response.status_code == 400
    assert "调整级别必须说明原因" in response.content.decode()
    assert 'value="L1" selected' in response.content.decode()
    form = {"consent-by": "", "consent-method": "email"}
    response = client.post(f"/tickets/{ticket.pk}/consent/", form)
    assert "请填写同意人" in response.content.decode()
    assert 'value="email" selected' in response.content.decode()
    ticket.refresh_from_db()
    assert (ticket.level, ticket.remote_consent_at) == ("L2", None)
