"""The Content-Security-Policy allows no inline script: the screens still work in a real browser
and the browser reports no violation (language switch, filters that submit on change, the
htmx move panel's cancel button, the API docs)."""

import datetime as dt

import pytest

from tests.browser.conftest import login
from tests.browser.test_inspections import _permission_matrix, estate  # noqa: F401
from weibao.inspections.models import InspectionVisit
from weibao.testing import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch_violations(page) -> list[str]:
    violations = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return violations


def test_language_switch_filters_and_api_docs_work_under_the_policy(page):
    admin = f.UserFactory(username="boss", is_staff=True, is_superuser=True)
    violations = _watch_violations(page)
    login(page, admin.username, f.PASSWORD)

    page.select_option("select[name=language]", "en")
    page.wait_for_function("document.documentElement.lang === 'en'")

    page.goto(f"{page.base_url}/documents/")
    value = page.locator("select[name=state] option").nth(1).get_attribute("value")
    page.select_option("select[name=state]", value)
    page.wait_for_url(f"**/documents/?*state={value}*")

    page.goto(f"{page.base_url}/admin/")
    page.wait_for_selector("#site-name")

    page.goto(f"{page.base_url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert violations == []


@pytest.mark.urls("weibao.inspections.tests.urls")
def test_the_move_panel_cancel_button_clears_the_panel(page, estate):  # noqa: F811
    visit = InspectionVisit.objects.get(site=estate.core, planned_date=dt.date(2026, 4, 23))
    violations = _watch_violations(page)
    login(page, estate.planner.username, f.PASSWORD)
    page.goto(f"{page.base_url}/inspections/?month=2026-04")
    page.click(f'[data-testid="move-{visit.pk}"]')
    page.wait_for_selector('[data-testid="move-form"]')
    page.click("#move-panel [data-clear]")
    page.wait_for_selector('[data-testid="move-form"]', state="detached")
    assert violations == []
