"""ANA-1: after a period closes the report is generated automatically — once — and the
customer is told; a stalled generation is picked up again."""

import datetime as dt

import pytest

from weibao.accounts.choices import Role
from weibao.core import clock
from weibao.core.due import sources
from weibao.notifications.models import Notification
from weibao.reporting.choices import ReportState, Trigger
from weibao.reporting.models import AnalysisReport
from weibao.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def tick(django_capture_on_commit_callbacks):
    """The due source as the runner calls it: its commits start the generation."""

    def run() -> int:
        source = next(s for s in sources() if s.name == "reporting.reports")
        with django_capture_on_commit_callbacks(execute=True):
            return source.process(now=clock.now(), limit=500)

    return run


@pytest.fixture
def customer_user(quarter):
    return f.CustomerUserFactory(
        customer=quarter.desk.customer, email="duty@example.cn", roles=[Role.CUSTOMER_STAFF]
    )


def test_report_of_the_closed_quarter_is_generated_once_and_the_customer_told(
    quarter, customer_user, tick
):
    assert tick() == 2  # queued, then generated
    report = AnalysisReport.objects.get()
    assert (report.trigger, report.state) == (Trigger.AUTO, ReportState.READY)
    assert (report.period_start, report.period_end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert report.figures["overview"]["tickets"] == 6
    told = Notification.objects.filter(kind="analysis_report", address="duty@example.cn")
    assert told.count() == 1
    assert "2026年第1季度" in told.get().subject

    assert tick() == 0
    assert AnalysisReport.objects.count() == 1
    assert (
        Notification.objects.filter(kind="analysis_report", address="duty@example.cn").count() == 1
    )


def test_nothing_before_the_quarter_closes(quarter, frozen_clock, tick):
    frozen_clock(dt.datetime(2026, 3, 31, 23, 59))
    assert tick() == 0
    assert not AnalysisReport.objects.exists()


def test_a_quarter_closed_more_than_a_week_ago_is_left_to_on_demand(quarter, frozen_clock, tick):
    frozen_clock(dt.datetime(2026, 4, 8, 9, 0))
    assert tick() == 0
    assert not AnalysisReport.objects.exists()


def test_stalled_generation_is_taken_up_again(quarter, frozen_clock, tick):
    report = AnalysisReport.objects.create(
        contract=quarter.contract, period_kind="quarter", period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31), state=ReportState.GENERATING, progress=40,
        requested_at=clock.now(), heartbeat_at=clock.now() - dt.timedelta(minutes=11),
    )  # fmt: skip
    assert tick() == 1
    report.refresh_from_db()
    assert report.state == ReportState.READY


def test_on_demand_report_is_left_to_its_web_process_for_a_while(quarter, frozen_clock, tick):
    report = AnalysisReport.objects.create(
        contract=quarter.contract, period_kind="month", period_start=dt.date(2026, 3, 1),
        period_end=dt.date(2026, 3, 31), state=ReportState.QUEUED, requested_at=clock.now(),
    )  # fmt: skip
    AnalysisReport.objects.create(  # the automatic quarterly one exists already
        contract=quarter.contract, period_kind="quarter", period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31), state=ReportState.READY, requested_at=clock.now(),
    )  # fmt: skip
    assert tick() == 0
    frozen_clock(dt.datetime(2026, 4, 2, 10, 1))
    assert tick() == 1
    report.refresh_from_db()
    assert report.state == ReportState.READY
