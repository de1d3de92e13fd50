"""An agent logs a 03:00 call, classifies it as level 1 from the checklist, and sees the
countdown, the ladder and the L1 banner."""

import re

import pytest

from tests.browser.conftest import login
from weibao.testing.factories import PASSWORD
from weibao.tickets.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_logs_a_call_classifies_l1_and_sees_countdown_and_ladder(page, desk):
    from weibao.core import clock

    clock.set_now(None)  # the live server and the browser share real time
    login(page, desk.agent.username, PASSWORD)
    page.click("nav.mainnav >> text=工单")
    page.click("text=受理新请求")
    # the form's htmx is bound once the page has loaded: a choice made before would be lost
    page.wait_for_url("**/tickets/new/", wait_until="load")

    page.select_option("#id_customer", str(desk.customer.pk))
    page.wait_for_selector("#site-choices option", state="attached")
    page.fill("#id_site", f"{desk.site.code} · {desk.site.name}")  # a type-ahead box
    page.fill("#id_fault_phenomenon", "凌晨三点监控中心看不到任何数据")
    page.fill("#id_contact_name", "钱值班员")
    page.fill("#id_contact_phone", "13900000002")
    page.check("text=整个系统瘫痪，值班人员不能看到任何数据")
    suggested = page.locator("[data-testid=suggested-level]")
    suggested.wait_for()
    assert "L1" in suggested.inner_text()
    page.click("button:has-text('提交')")

    page.wait_for_selector("[data-testid=ticket-title]")
    assert page.locator("[data-testid=ticket-level]").inner_text() == "L1"
    assert page.locator("[data-testid=ticket-stage]").inner_text() == "一级故障应急"
    banner = page.locator("[data-testid=l1-banner]")
    assert "一级故障处理中" in banner.inner_text()

    countdown = page.locator("[data-testid=clocks] .countdown").first
    first = countdown.inner_text()
    assert re.match(r"剩余 0:(29|30):\d\d", first), first
    page.wait_for_timeout(1500)
    assert countdown.inner_text() != first  # it counts down live

    ladder = page.locator("[data-testid=ladder]").inner_text()
    for role in ("现场服务工程师", "应急服务小组", "客户经理", "服务中心总经理"):
        assert role in ladder
    actions = page.locator("[data-testid=emergency-actions]").inner_text()
    assert "2 小时内中心负责人成立专家小组" in actions

    ticket = Ticket.objects.get()
    assert (ticket.level, ticket.stage, ticket.channel) == ("L1", "emergency", "phone")
