"""Refused field-service forms keep what was typed (issue 9 #7): the manager's arrival on the
engineer's behalf with an impossible time, and the engineer's refusal-to-sign without a
reason, re-render with the input and the error; fixed, the visit shows 代为记录."""

import pytest

from tests.browser.conftest import login
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


def test_arrival_on_behalf_keeps_the_reason_when_refused_then_shows_on_behalf(page, field):
    from weibao.core import clock

    clock.set_now(None)  # the live server and the browser share real time
    visit = field.visit()
    login(page, field.desk.manager.username, PASSWORD)
    page.goto(f"{page.base_url}/fieldservice/visits/{visit.pk}/")

    move = page.locator("[data-testid=move-record-arrival]")
    move.locator("summary").click()
    move.locator("[name=arrived_at]").fill("2099-01-01T10:00")
    move.locator("[name=reason]").fill("工程师手机没电，电话报到")
    move.locator("button[type=submit]").click()

    page.wait_for_selector("[data-testid=form-error]")
    assert "到场时间必须在派工之后" in page.locator("[data-testid=form-error]").inner_text()
    move = page.locator("[data-testid=move-record-arrival]")
    assert move.locator("[name=reason]").input_value() == "工程师手机没电，电话报到"

    move.locator("[name=arrived_at]").fill("")
    move.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=on-behalf]")
    assert "工程师手机没电" in page.locator("[data-testid=checked-in]").inner_text()


def test_refusal_to_sign_needs_a_reason_and_then_lets_the_engineer_check_out(phone, field):
    from weibao.core import clock
    from weibao.fieldservice import services

    clock.set_now(None)
    engineer = field.desk.engineer
    visit = services.check_in(field.visit(), actor=engineer)
    services.create_visit_document(visit, kind="service_report", data=REPORT, actor=engineer)
    login(phone, engineer.username, PASSWORD)
    phone.goto(f"{phone.base_url}/fieldservice/visits/{visit.pk}/")
    assert phone.locator("[data-testid=blocked-check-out]").is_visible()

    refuse = phone.locator("[data-testid=refuse-signature]")
    refuse.locator("summary").click()
    refuse.locator("[name=reason]").evaluate("e => e.removeAttribute('required')")
    refuse.locator("[name=reason]").fill("   ")
    refuse.locator("button[type=submit]").click()
    phone.wait_for_selector("[data-testid=form-error]")

    refuse = phone.locator("[data-testid=refuse-signature]")
    refuse.locator("[name=reason]").fill("值班员无权代表单位签字")
    refuse.locator("button[type=submit]").click()
    phone.wait_for_selector("[data-testid=refused-reason]")
    phone.click("[data-testid=check-out]")
    phone.wait_for_selector("[data-testid=visit-state]:has-text('已完成')")
