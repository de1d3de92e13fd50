"""The queue in a real browser (issue 12 #2): an agent searches by a Chinese substring and by
the caller's number, the rows follow as they type, and the live refresh brings a new ticket in
while keeping the search, the filters and where the agent had scrolled to."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from weibao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded():
    """A transactional test flushes the seeded permission matrix: put it back."""
    import importlib

    from django.apps import apps

    from weibao.accounts.models import RoleCapability

    if not RoleCapability.objects.exists():
        seeding = "weibao.accounts.migrations.0003_seed_role_capabilities"
        importlib.import_module(seeding).seed(apps, None)
    RoleCapability.forget_cache()


def _rows(page) -> list[str]:
    return page.locator("#queue-rows tr").all_inner_texts()


def test_agent_finds_a_ticket_by_text_and_by_phone_as_they_type(page, desk, seeded):
    from weibao.core import clock

    clock.set_now(None)  # the live server and the browser share real time
    for n in range(3):
        desk.open(fault_phenomenon=f"第 {n} 号端局数据中断", contact_phone=f"1390000000{n}")
    wanted = desk.open(fault_phenomenon="配电柜冒烟，UPS 告警", contact_phone="138 1234 5678")
    login(page, desk.agent.username, PASSWORD)
    page.goto(f"{page.base_url}/tickets/")
    assert len(_rows(page)) == 4

    page.fill("input[name=q]", "配电柜")  # a Chinese substring of the phenomenon
    expect(page.locator("#queue-rows tr")).to_have_count(1)
    assert wanted.number in _rows(page)[0]
    assert "q=" in page.url  # the search is in the address: a reload or a link keeps it

    page.fill("input[name=q]", "5678")  # the last digits of the caller's number
    expect(page.locator("#queue-rows tr")).to_have_count(1)
    expect(page.locator("#queue-rows")).to_contain_text(wanted.number)
    expect(page.locator("#queue-rows")).not_to_contain_text("第 1 号端局")

    page.fill("input[name=q]", "没有这样的工单")
    page.wait_for_selector("#queue-rows td.empty")


def test_the_live_refresh_keeps_search_filters_and_scroll(page, desk, seeded, settings):
    from weibao.core import clock

    settings.WEIBAO_QUEUE_REFRESH_SECONDS = 1
    clock.set_now(None)
    for n in range(55):
        desk.open(fault_phenomenon=f"监控中心第 {n} 路视频中断")
    desk.open(fault_phenomenon="机房空调漏水")  # not matched by the search below
    page.set_viewport_size({"width": 1000, "height": 500})
    login(page, desk.agent.username, PASSWORD)
    page.goto(f"{page.base_url}/tickets/?q=视频中断&level=L2")
    total = page.locator("[data-testid=queue-total]")
    assert "55" in total.inner_text()
    assert len(_rows(page)) == 50  # one page of 50, the rest behind the pager

    page.evaluate("window.scrollTo(0, 600)")
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 0
    desk.open(fault_phenomenon="监控中心第 99 路视频中断")  # a new call while the agent reads
    expect(total).to_contain_text("56", timeout=10_000)
    assert page.evaluate("window.scrollY") == scrolled
    assert page.input_value("input[name=q]") == "视频中断"
    assert page.locator("select[name=level]").input_value() == "L2"
    assert all("空调" not in row for row in _rows(page))


def test_agent_filters_the_queue_by_a_customer_typed_in_part(page, desk, seeded):
    """The customer filter is a type-ahead: the page lists no customers, the box's
    suggestions follow what is typed (from the server), and the choice filters the rows,
    stays in the address and in the box after a reload."""
    from weibao.core import clock
    from weibao.testing import factories as f

    clock.set_now(None)
    provider = desk.customer.provider
    other = f.CustomerFactory(provider=provider, name="江宁广电网络", code="JNGD")
    other_site = f.SiteFactory(
        customer=other, service_point=desk.site.service_point, name="江宁机房"
    )
    f.make_contract(other, sites=[other_site])
    for n in range(30):  # a desk with many customers: none of them is in the page
        f.CustomerFactory(provider=provider, name=f"南京第 {n} 客户", code=f"NJ{n}")
    desk.open(fault_phenomenon="华东通信的监控中断")
    wanted = desk.open(customer=other, site=other_site, fault_phenomenon="江宁机房光缆中断")
    login(page, desk.agent.username, PASSWORD)
    page.goto(f"{page.base_url}/tickets/")
    assert len(_rows(page)) == 2
    assert "南京第" not in page.content()

    box = page.locator("input[name=customer]")
    box.click()  # the first focus brings the first suggestions
    choices = page.locator("#queue-customer-choices option")
    expect(choices.first).to_be_attached()
    box.press_sequentially("江宁")
    expect(choices).to_have_count(1)  # narrowed by the server as one types
    label = "江宁广电网络 · JNGD"
    assert choices.first.get_attribute("value") == label

    box.fill(label)  # what choosing the suggestion puts in the box
    box.press("Tab")  # leaving the box commits the choice (a change event)
    expect(page.locator("#queue-rows tr")).to_have_count(1)
    expect(page.locator("#queue-rows")).to_contain_text(wanted.number)
    assert "customer=" in page.url

    page.reload()
    assert page.input_value("input[name=customer]") == label
    assert len(_rows(page)) == 1 and wanted.number in _rows(page)[0]

    box = page.locator("input[name=customer]")
    box.fill("")
    box.press("Tab")  # an empty box: every customer again
    expect(page.locator("#queue-rows tr")).to_have_count(2)
