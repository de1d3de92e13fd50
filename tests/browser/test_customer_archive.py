"""A customer user signs in, opens their site and reads its archive; another customer's site
is not there for them."""

import pytest

from tests.browser.conftest import login
from weibao.core.audit import record_event
from weibao.testing.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_customer_user_reads_own_site_archive_and_cannot_open_another(page, world):
    record_event(world.asset_a, kind="repair", message="FSU 主板返修，已更换备件")

    login(page, world.user_a.username, PASSWORD)
    page.click("nav.mainnav summary:text-is('资料')")  # the menu groups the master data
    page.click("nav.mainnav >> text=机房")
    page.click(f"text={world.site_a.name}")

    assert page.locator("[data-testid=site-name]").inner_text().startswith("甲端局")
    archive = page.locator("#archive")
    assert archive.locator("h2").inner_text() == "客户档案"
    assert "FSU 主板返修，已更换备件" in archive.inner_text()
    assert world.asset_a.serial_number in page.content()

    response = page.goto(f"{page.base_url}/sites/{world.site_b.pk}/")
    assert response.status == 404
    assert "乙端局" not in page.content()
    assert "页面不存在" in page.content()


def test_site_page_works_on_a_phone(phone, world):
    login(phone, world.user_a.username, PASSWORD)
    phone.goto(f"{phone.base_url}/sites/{world.site_a.pk}/")
    assert phone.locator("#archive").is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"page is {width}px wide on a 375px screen"
    phone.click("label.nav-toggle-label")
    phone.click("nav.mainnav summary:text-is('资料')")
    assert phone.locator("nav.mainnav >> text=设备").is_visible()
