"""The spare keeper registers a returned part in the web form and sees its due date — 30
working days across Mid-Autumn and National Day 2026 — then finds it on the board, also on
a phone."""

import datetime as dt

import pytest

from tests.browser.conftest import login
from weibao.repairs.models import Repair
from weibao.spares.tests.factories import make_hardware
from weibao.testing.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("weibao.repairs.tests.urls"),
]


@pytest.fixture
def hw():
    from weibao.core import clock

    clock.set_now(None)  # the live server and the browser share real time
    return make_hardware()


def test_keeper_registers_a_repair_and_sees_its_due_date(page, hw):
    login(page, "keeper", PASSWORD)
    page.goto(f"{page.base_url}/repairs/new/")
    page.select_option("#id_customer", str(hw.customer.pk))
    page.wait_for_selector(f"#id_asset option[value='{hw.asset.pk}']", state="attached")
    page.select_option("#id_asset", str(hw.asset.pk))
    page.fill("#id_fault_description", "主控板上电后运行灯不亮")
    page.select_option("#id_repair_origin", "domestic")
    page.fill("#id_received_at", "2026-09-15")
    page.fill("#id_tracking_number", "SF1302260001")
    page.click("button:has-text('登记')")

    # 09-15 is day 0; Mid-Autumn (09-25..27) and National Day (10-01..07) are off, Sunday 09-20
    # and Saturday 10-10 are worked: the 30th working day is Monday 2026-11-02.
    due = page.locator("[data-testid=due-date]")
    due.wait_for()
    assert due.inner_text() == "2026-11-02"
    assert "收到（第 0 天）+ 30 个工作日" in page.inner_text("main")
    repair = Repair.objects.get()
    assert page.locator("[data-testid=repair-title]").inner_text().startswith(repair.number)

    page.goto(f"{page.base_url}/repairs/board/")
    board = page.locator("[data-testid=board-repairs]").inner_text()
    assert repair.number in board and "2026-11-02" in board


def test_keeper_board_fits_a_phone(phone, hw):
    from weibao.repairs.services import register_repair

    register_repair(asset=hw.asset, fault_description="死机", received_on=dt.date(2026, 9, 15))
    login(phone, "keeper", PASSWORD)
    phone.goto(f"{phone.base_url}/repairs/board/")
    phone.locator("[data-testid=board-repairs]").wait_for()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone ({width}px)"
