"""Operation analysis reports in a real browser: the report page follows the progress of a
generation (htmx polls every second) and shows the charts when it is done; a customer reads
the report on a phone."""

import datetime as dt

import pytest

from tests.browser.conftest import login
from weibao.accounts.choices import Role
from weibao.reporting import services
from weibao.reporting.generation import generate_report
from weibao.reporting.tests import conftest as reporting_fixtures
from weibao.testing import factories as f
from weibao.testing.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("weibao.reporting.tests.urls"),
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


quarter = reporting_fixtures.quarter  # the hand-checked quarter of the reporting tests


@pytest.fixture(autouse=True)
def _inline(settings, tmp_path):
    settings.WEIBAO_REPORT_THREADS = False
    settings.MEDIA_ROOT = tmp_path / "media"


def test_report_page_follows_progress_then_shows_the_charts(page, quarter):
    report = services.request_report(
        quarter.contract, period_kind="quarter", day=dt.date(2026, 1, 1),
        actor=quarter.desk.manager, start=False,
    )  # fmt: skip
    login(page, quarter.desk.engineer.username, PASSWORD)
    page.goto(f"{page.base_url}/reports/{report.pk}/")
    assert page.locator("[data-testid=progress-percent]").inner_text() == "0%"

    generate_report(report.pk)  # as the background thread would

    page.wait_for_selector("[data-section=faults] img[data-chart=faults_by_level]")
    assert page.locator("[data-testid=report-progress]").count() == 0
    assert "二、故障统计" in page.content()
    assert page.locator("[data-testid=downloads] a").count() == 3


def test_customer_reads_the_report_on_a_phone(phone, quarter):
    report = services.request_report(
        quarter.contract, period_kind="quarter", day=dt.date(2026, 1, 1),
        actor=quarter.desk.manager, start=False,
    )  # fmt: skip
    generate_report(report.pk, files=False)
    customer = f.CustomerUserFactory(customer=quarter.desk.customer, roles=[Role.CUSTOMER_STAFF])

    login(phone, customer.username, PASSWORD)
    phone.goto(f"{phone.base_url}/reports/")
    phone.click("text=2026年第1季度")
    phone.wait_for_selector("[data-testid=report-title]")
    assert phone.locator("img[data-chart=sla_by_kind]").is_visible()
    assert phone.locator("[data-testid=engineer-sections]").count() == 0
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"page is {width}px wide on a 375px screen"
