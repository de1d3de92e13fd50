"""On site with two browsers: the engineer, on a 375 px phone, checks in (with the phone's
position), fills the technical service report and asks the customer to sign; the customer signs
it in the portal on a desktop; the engineer's page then shows it signed, with its PDF."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from weibao.fieldservice.models import Visit
from weibao.fieldservice.testing import REPORT, setup_field
from weibao.testing.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("weibao.fieldservice.tests.urls"),
]


@pytest.fixture
def field(desk):
    return setup_field(desk)


def fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"page is {width}px wide on a 375px screen"


def draw_signature(page) -> None:
    pad = page.locator("[data-testid=signature-pad]")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + box["height"] * 0.6)
    page.mouse.down()
    for step in range(1, 25):
        x = box["x"] + 30 + step * (box["width"] - 80) / 24
        y = box["y"] + box["height"] * (0.3 if step % 2 else 0.7)
        page.mouse.move(x, y, steps=3)
    page.mouse.up()


def test_engineer_checks_in_files_the_report_and_the_customer_signs_it(phone, page, field):
    from weibao.core import clock

    clock.set_now(None)  # the live server and the browsers share real time
    visit = field.visit()
    engineer = field.desk.engineer
    phone.context.grant_permissions(["geolocation"], origin=phone.base_url)
    phone.context.set_geolocation({"latitude": 32.0415, "longitude": 118.7281})

    # The engineer's day on the phone: the visit with its arrival countdown, then check-in.
    login(phone, engineer.username, PASSWORD)
    phone.goto(f"{phone.base_url}/fieldservice/today/")
    card = phone.locator(f"[data-visit='{visit.pk}']")
    assert visit.ticket.number in card.inner_text()
    assert card.locator(".countdown").get_attribute("data-due")
    fits_the_phone(phone)
    card.locator("[data-testid=check-in]").click()
    phone.wait_for_selector(f"[data-visit='{visit.pk}'][data-state=on_site]")
    visit.refresh_from_db()
    assert visit.checked_in_at is not None and visit.check_in_lat is not None

    # The technical service report, filled on the phone, then handed to the customer.
    phone.locator(f"[data-visit='{visit.pk}'] [data-testid=open-visit]").click()
    phone.wait_for_selector("[data-testid=visit-title]")
    fits_the_phone(phone)
    phone.click("[data-testid=new-document] a[data-kind=service_report]")
    for name, value in REPORT.items():
        phone.fill(f"[name={name}]", value)
    fits_the_phone(phone)
    phone.click("[data-testid=save-document]")
    report = phone.locator("[data-testid=visit-documents] li[data-kind=service_report]")
    assert report.locator("[data-testid=document-state]").inner_text() == "草稿"
    report.locator("[data-testid=request-signature]").click()
    phone.wait_for_selector(
        "li[data-kind=service_report] [data-testid=document-state][data-state=awaiting_signature]"
    )

    # The customer, at a desk, signs it in the portal.
    login(page, field.signer.username, PASSWORD)
    page.goto(f"{page.base_url}/documents/")
    waiting = page.locator("[data-testid=portal-documents]")
    assert "技术服务报告" in waiting.inner_text()
    waiting.locator("a.button:has-text('签字')").click()
    assert "更换电源模块" in page.locator("[data-testid=document-data]").inner_text()
    page.select_option("[name=signer_role]", "maintenance")
    page.wait_for_load_state()  # the pad's (deferred) script has run: submit is its to refuse
    page.click("[data-testid=submit-signature]")  # nothing drawn yet: refused in the page
    expect(page.locator("[data-signature-hint]")).to_be_visible()
    draw_signature(page)
    page.click("[data-testid=submit-signature]")
    page.wait_for_selector("[data-testid=signer]")
    assert "钱值班员" in page.locator("[data-testid=signer]").inner_text()
    page.click("[data-testid=verify-button]")
    page.wait_for_selector("[data-testid=verify-result][data-valid='1']")

    # Back on the phone: signed, with a PDF to download; now the engineer may check out.
    phone.reload()
    report = phone.locator("[data-testid=visit-documents] li[data-kind=service_report]")
    assert report.locator("[data-testid=document-state]").inner_text() == "已签字"
    assert "钱值班员" in report.inner_text()
    href = report.locator("[data-testid=pdf-link]").get_attribute("href")
    pdf = phone.request.get(f"{phone.base_url}{href}")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    phone.click("[data-testid=check-out]")
    phone.wait_for_selector("[data-testid=visit-state]:has-text('已完成')")
    assert Visit.objects.get(pk=visit.pk).state == "done"


def test_customer_signs_on_the_engineers_phone(phone, field):
    """No portal at hand: the engineer hands the phone over and the customer signs there."""
    from weibao.core import clock
    from weibao.fieldservice import services

    clock.set_now(None)
    visit = services.check_in(field.visit(), actor=field.desk.engineer)
    application = services.create_visit_document(
        visit, kind="service_application", actor=field.desk.engineer,
        data={"request": "监控中心看不到端局数据", "planned_work": "检查 FSU 供电"},
    )  # fmt: skip

    login(phone, field.desk.engineer.username, PASSWORD)
    phone.goto(f"{phone.base_url}/fieldservice/visits/{visit.pk}/")
    phone.locator(f"li[data-document='{application.pk}'] [data-testid=sign-here]").click()
    phone.wait_for_selector("[data-testid=signature-pad]")
    phone.wait_for_load_state()  # the pad's (deferred) script listens before anything is drawn
    fits_the_phone(phone)
    phone.fill("[name=signer_name]", "孔工")
    draw_signature(phone)
    phone.click("[data-testid=submit-signature]")

    phone.wait_for_selector("[data-testid=visit-title]")  # back on the visit page
    row = phone.locator(f"li[data-document='{application.pk}']")
    assert row.locator("[data-testid=document-state]").inner_text() == "已签字"
    application.refresh_from_db()
    assert (application.signer_name, application.signed_by) == ("孔工", field.desk.engineer)
