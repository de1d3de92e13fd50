"""A planner moves a visit in the month calendar; an engineer completes a checklist on a
phone-sized screen (a failed item opens a ticket)."""

import datetime as dt

import pytest

from tests.browser.conftest import login
from weibao.core import clock
from weibao.inspections import services
from weibao.inspections.choices import VisitKind, VisitState
from weibao.inspections.models import InspectionVisit, VisitMove
from weibao.inspections.tests.estate import build_estate
from weibao.testing.factories import PASSWORD
from weibao.tickets.models import Ticket

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("weibao.inspections.tests.urls"),
]


@pytest.fixture(autouse=True)
def _permission_matrix(transactional_db):
    """Transactional tests flush the seeded permission matrix (PRM-1); put the defaults back."""
    import importlib

    from django.apps import apps

    from weibao.accounts.models import RoleCapability

    importlib.import_module("weibao.accounts.migrations.0003_seed_role_capabilities").seed(
        apps, None
    )
    RoleCapability.forget_cache()


@pytest.fixture
def estate():
    """Contract year 2026, planned on 2 March 2026 (the seed templates are put back first:
    transactional tests flush the data migrations' rows)."""
    from django.apps import apps

    from weibao.calendars import workdays
    from weibao.emergency import seed as emergency_seed
    from weibao.inspections import seed as inspection_seed

    inspection_seed.load(apps)
    emergency_seed.load(apps)
    workdays.invalidate_index()
    clock.set_now(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    estate = build_estate(start=dt.date(2026, 1, 1))
    services.generate_plan(estate.contract, on=dt.date(2026, 3, 2))
    yield estate
    clock.set_now(None)
    workdays.invalidate_index()


def test_planner_moves_a_visit_in_the_month_calendar(page, estate):
    visit = InspectionVisit.objects.get(site=estate.core, planned_date=dt.date(2026, 4, 23))
    login(page, estate.planner.username, PASSWORD)

    page.goto(f"{page.base_url}/inspections/?month=2026-04")
    day = page.locator('td[data-date="2026-04-23"]')
    assert "鼓楼核心机房" in day.inner_text()
    page.click(f'[data-testid="move-{visit.pk}"]')
    form = page.locator('[data-testid="move-form"]')
    form.locator('input[name="new_date"]').fill("2026-04-28")
    form.locator('input[name="reason"]').fill("客户机房 4 月 23 日停电检修")
    form.locator("button[type=submit]").click()

    page.wait_for_selector('td[data-date="2026-04-28"] >> text=鼓楼核心机房')
    assert "鼓楼核心机房" not in page.locator('td[data-date="2026-04-23"]').inner_text()
    assert "已改期至 2026-04-28" in page.locator(".messages").inner_text()
    visit.refresh_from_db()
    assert visit.planned_date == dt.date(2026, 4, 28)
    assert VisitMove.objects.get(visit=visit).reason == "客户机房 4 月 23 日停电检修"


def test_engineer_completes_a_checklist_on_a_phone(phone, estate):
    visit = InspectionVisit.objects.get(
        site=estate.center, kind=VisitKind.CORE, planned_date=dt.date(2026, 3, 9)
    )
    login(phone, estate.engineer.username, PASSWORD)

    phone.goto(f"{phone.base_url}/inspections/mine/")
    phone.click(f"a[href='/inspections/visits/{visit.pk}/']")
    phone.click('[data-testid="start-visit"]')
    phone.wait_for_url(f"**/inspections/visits/{visit.pk}/checklist/")

    cards = phone.locator("article.ins-check")
    total = cards.count()
    assert total >= 10
    for i in range(total):
        card = cards.nth(i)
        title = card.locator("h3").inner_text()
        if title == "平台告警记录中无未处理的告警":
            card.locator(".ins-outcomes label", has_text="异常").click()
            card.locator("textarea").fill("3 条门禁告警超过 24 小时未处理")
            card.locator("button[type=submit]").click()
            card = phone.locator(f"#{card.get_attribute('id')}")
            card.locator('[data-testid="finding-ticket"]').wait_for()
        else:
            card.locator(".ins-outcomes label", has_text="正常").click()
            value = card.locator('input[type="text"]')
            if value.count():
                value.fill("42")
            card.locator("button[type=submit]").click()
            phone.locator(f"#{card.get_attribute('id')} .ins-saved").wait_for()
    assert f"已检查 {total} / {total} 项" in phone.locator("#ins-progress").inner_text()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"checklist is {width}px wide on a 375px screen"

    phone.fill("textarea[name=summary]", "设备运行正常，建议处理门禁告警")
    phone.click('[data-testid="complete-visit"]')

    phone.wait_for_url(f"**/inspections/visits/{visit.pk}/")
    assert phone.locator('[data-testid="visit-state"]').inner_text() == "已完成"
    assert "巡检报告" in phone.locator('[data-testid="visit-documents"]').inner_text()
    visit.refresh_from_db()
    assert visit.state == VisitState.DONE
    ticket = Ticket.objects.get()
    assert ticket.site == estate.center and "门禁告警" in ticket.fault_phenomenon
