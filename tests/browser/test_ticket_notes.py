"""On a 390-px phone: a customer adds information and a photo to their own request and sees it
on the timeline (htmx, no reload), with nothing of the provider's inside on the page; the
engineer writes an internal note from the same page. Neither page is wider than the screen."""

import pytest

from tests.browser.conftest import login
from weibao.accounts.choices import Role
from weibao.core.tests.images import photo_with_gps
from weibao.testing import factories as f
from weibao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def _phone(browser, live_server):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    return context, page


def test_customer_and_engineer_write_notes_on_a_390px_phone(browser, live_server, desk):
    from weibao.core import clock

    ticket = desk.open(level="L1", fault_phenomenon="全网业务中断")
    customer = f.CustomerUserFactory(customer=desk.customer, roles=[Role.CUSTOMER_STAFF])
    clock.set_now(None)  # the live server and the browser share real time

    context, page = _phone(browser, live_server)
    try:
        login(page, customer.username, PASSWORD)
        page.goto(f"{page.base_url}/tickets/{ticket.pk}/")
        assert page.locator("[data-testid=ladder]").count() == 0
        assert page.locator("[data-testid=emergency-actions]").count() == 0
        form = page.locator("[data-testid=note-form]")
        form.locator("textarea[name=body]").fill("机柜告警灯常亮，照片见附件")
        form.locator("input[name=files]").set_input_files(
            {"name": "告警.jpg", "mimeType": "image/jpeg", "buffer": photo_with_gps()}
        )
        form.locator("[data-testid=note-submit]").click()
        timeline = page.locator("[data-testid=ticket-timeline]")
        timeline.locator("text=机柜告警灯常亮，照片见附件").wait_for()
        assert timeline.locator(".tl-files img").count() == 1
        assert _overflow(page) <= 1, f"the ticket page is {_overflow(page)}px too wide"
    finally:
        context.close()

    context, page = _phone(browser, live_server)
    try:
        login(page, desk.engineer.username, PASSWORD)
        page.goto(f"{page.base_url}/tickets/{ticket.pk}/")
        form = page.locator("[data-testid=note-form]")
        form.locator("textarea[name=body]").fill("内部：备板已带上")
        form.locator("input[name=visibility][value=internal]").check()
        form.locator("[data-testid=note-submit]").click()
        timeline = page.locator("[data-testid=ticket-timeline]")
        timeline.locator("li.tl-internal", has_text="内部：备板已带上").wait_for()
        assert "机柜告警灯常亮" in timeline.inner_text()
        assert _overflow(page) <= 1, f"the ticket page is {_overflow(page)}px too wide"
    finally:
        context.close()
