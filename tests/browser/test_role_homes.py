"""Each role's home on a 390-px phone: its own work shows, the grouped menu opens from ☰,
and neither the page nor the open menu is wider than the screen. The work-calendar month's
header lines up with its days."""

import pytest

from tests.browser.conftest import login
from weibao.accounts.choices import Role
from weibao.fieldservice.testing import setup_field
from weibao.testing import factories as f
from weibao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390
HOMES = {
    Role.SUPPORT_AGENT: "home-agent",
    Role.ENGINEER: "home-engineer",
    Role.MAINTENANCE_MANAGER: "home-manager",
    Role.SPARE_KEEPER: "home-keeper",
    Role.ACCOUNT_MANAGER: "home-account",
    Role.CUSTOMER_STAFF: "home-customer-requests",
    Role.CUSTOMER_LEADER: "home-customer-leader",
}


def _user(desk, role):
    if role == Role.SPARE_KEEPER:
        return f.UserFactory(username="keeper", provider=desk.agent.provider, roles=[role])
    field = setup_field(desk)
    if role == Role.CUSTOMER_STAFF:
        return field.signer
    if role == Role.CUSTOMER_LEADER:
        return field.leader
    field.visit()  # something on the desk: a dispatched on-site ticket
    by_role = {
        Role.SUPPORT_AGENT: desk.agent,
        Role.ENGINEER: desk.engineer,
        Role.MAINTENANCE_MANAGER: desk.manager,
        Role.ACCOUNT_MANAGER: desk.account,
    }
    return by_role[role]


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth") - WIDTH


@pytest.mark.parametrize("role", list(HOMES))
def test_role_home_and_menu_fit_a_390px_phone(browser, live_server, desk, role):
    from weibao.core import clock

    user = _user(desk, role)
    clock.set_now(None)  # the live server and the browser share real time
    context = browser.new_context(
        locale="zh-CN", viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    try:
        login(page, user.username, PASSWORD)
        assert page.locator(f"[data-testid={HOMES[role]}]").is_visible()
        assert _overflow(page) <= 1, f"home is {_overflow(page)}px too wide"
        if role == Role.CUSTOMER_STAFF:
            assert page.locator("[data-testid=report-fault]").is_visible()

        nav = page.locator("nav.mainnav")
        assert not nav.is_visible()  # folded behind ☰ on a phone
        page.click("label.nav-toggle-label")
        assert nav.is_visible()
        top = nav.locator(":scope > a, :scope > details")
        assert 1 <= top.count() <= 8
        assert nav.locator(":scope > a").first.inner_text() == "首页"
        for i in range(nav.locator(":scope > details").count()):
            group = nav.locator(":scope > details").nth(i)
            group.locator("summary").click()
            first = group.locator(".navmenu a").first
            assert first.is_visible()
            box = first.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH + 1
            assert _overflow(page) <= 1, f"menu group {i} is {_overflow(page)}px too wide"
    finally:
        context.close()


def test_calendar_month_header_lines_up_with_the_days(page, world):
    login(page, world.user_a.username, PASSWORD)
    page.goto(f"{page.base_url}/calendar/?month=2026-10")
    heads = page.locator("table.cal-grid thead th")
    days = page.locator("table.cal-grid tbody tr").first.locator("td")
    assert heads.count() == days.count() == 7
    for i in range(7):
        head, day = heads.nth(i).bounding_box(), days.nth(i).bounding_box()
        assert abs(head["x"] - day["x"]) < 2 and abs(head["width"] - day["width"]) < 2
