"""The request time (TKT-1, issue 11 #2): a customer's request is at the server's time; staff
log a late call with its reason, within the contract's bound (24 h by default); earlier only
a supervisor (`ticket.backdate`), never before the contract year, never an absurd date."""

from __future__ import annotations

import datetime as dt

import pytest

from weibao.contracts.models import ContractPolicy
from weibao.core import clock
from weibao.core.selectors import history_for
from weibao.tickets.choices import TicketEvent
from weibao.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def _post(api, desk, user, **body):
    api.force_authenticate(user)
    payload = {
        "site": desk.site.pk, "channel": "phone", "level": "L3", "fault_phenomenon": "摄像机无图像",
        "contact_name": "钱值班员", "contact_phone": "13900000002", **body,
    }  # fmt: skip
    return api.post("/api/tickets/", payload, format="json")


def _ago(**delta) -> str:
    return (clock.now() - dt.timedelta(**delta)).isoformat()


def _opened(ticket):
    """The ticket's "opened" event in its history."""
    (event,) = [e for e in history_for(ticket) if e.kind == TicketEvent.OPENED]
    return event


def _refused(response, field: str, code: str) -> None:
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert (body["code"], list(body["fields"])) == (code, [field])
    assert not Ticket.objects.exists()


def test_a_customer_cannot_choose_the_time_or_the_channel(api, desk):
    from weibao.accounts.choices import Role
    from weibao.testing import factories as f

    user = f.CustomerUserFactory(customer=desk.customer, roles=[Role.CUSTOMER_STAFF])
    response = _post(api, desk, user, reported_at="2020-01-01T00:00:00+08:00", channel="fax",
                     late_reason="我说早就报过了")  # fmt: skip
    assert response.status_code == 201, response.json()
    ticket = Ticket.objects.get()
    assert (ticket.reported_at, ticket.channel) == (clock.now(), "portal")
    opened = _opened(ticket)
    assert "补录" not in opened.message


def test_staff_log_a_call_of_three_hours_ago_with_the_reason_recorded(api, desk):
    response = _post(api, desk, desk.agent, reported_at=_ago(hours=3),
                     late_reason="值班电话故障，客户改用手机报修")  # fmt: skip
    assert response.status_code == 201, response.json()
    ticket = Ticket.objects.get()
    assert ticket.reported_at == clock.now() - dt.timedelta(hours=3)
    opened = _opened(ticket)
    assert "值班电话故障，客户改用手机报修" in opened.message
    assert opened.changes["late_reason"] == "值班电话故障，客户改用手机报修"
    # the clocks count from the call, not from the log
    phone = ticket.clocks.get(kind="phone_response")
    assert phone.started_at == ticket.reported_at


def test_a_late_log_without_its_reason_is_refused(api, desk):
    _refused(_post(api, desk, desk.agent, reported_at=_ago(hours=3)), "late_reason",
             "late_reason_required")  # fmt: skip
    # a few minutes late is not a late log
    assert _post(api, desk, desk.agent, reported_at=_ago(minutes=10)).status_code == 201


def test_three_days_back_needs_a_supervisor(api, desk):
    three_days = _ago(days=3)
    _refused(
        _post(api, desk, desk.agent, reported_at=three_days, late_reason="周末积压的来电"),
        "reported_at",
        "backdate_not_allowed",
    )
    response = _post(api, desk, desk.manager, reported_at=three_days, late_reason="周末积压")
    assert response.status_code == 201, response.json()
    assert Ticket.objects.get().reported_at == clock.now() - dt.timedelta(days=3)


def test_the_bound_is_the_contracts(api, desk):
    ContractPolicy.objects.filter(contract=desk.contract).update(late_log_max_minutes=60)
    _refused(
        _post(api, desk, desk.agent, reported_at=_ago(hours=3), late_reason="补录"),
        "reported_at",
        "backdate_not_allowed",
    )
    response = _post(api, desk, desk.agent, reported_at=_ago(minutes=50), late_reason="补录")
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00Z", "2025-12-31T23:00:00+08:00"])
def test_absurd_dates_and_dates_before_the_contract_year_are_refused_even_to_a_supervisor(
    api, desk, when
):
    # the desk's contract year started on 2026-01-01; the clock is at 2026-03-02
    for user in (desk.agent, desk.manager):
        _refused(
            _post(api, desk, user, reported_at=when, late_reason="补录旧来电"),
            "reported_at",
            "reported_too_early",
        )


def test_a_date_out_of_range_is_refused_at_the_field(api, desk):
    # 0001-01-01 in Beijing time is before year 1 in UTC: refused as a bad date
    response = _post(api, desk, desk.manager, reported_at="0001-01-01T00:00:00+08:00")
    assert (response.status_code, list(response.json()["fields"])) == (400, ["reported_at"])
    assert not Ticket.objects.exists()


def test_the_web_form_follows_the_same_rules(client, desk):
    client.force_login(desk.agent)
    form = {
        "customer": desk.customer.pk, "site": desk.site.pk, "channel": "phone",
        "request_type": "fault", "level": "L3", "fault_phenomenon": "摄像机无图像",
        "contact_name": "钱", "contact_phone": "139",
    }  # fmt: skip
    refused = {
        "2026-02-27T09:00": "只能补录",
        "2026-03-02T00:00": "请填写补录原因",
        "0001-01-01T00:00": "报告时间不能早于",
    }
    for when, message in refused.items():
        page = client.post("/tickets/new/", {**form, "reported_at": when})
        assert page.status_code in (200, 400) and message in page.content.decode()
    assert not Ticket.objects.exists()
    page = client.post(
        "/tickets/new/", {**form, "reported_at": "2026-03-02T00:00", "late_reason": "断网补录"}
    )
    assert page.status_code == 302
    opened = _opened(Ticket.objects.get())
    assert "断网补录" in opened.message
