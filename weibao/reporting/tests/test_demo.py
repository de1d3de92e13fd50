"""The demo loader of reporting and the library: after `weibao demo`, it adds the library's
data and a generated quarterly report of WB-2025-001, and a second run adds nothing."""

import io

import pytest
from django.core.management import call_command

from weibao.accounts.models import User
from weibao.core import clock
from weibao.demo.reporting import load_reporting
from weibao.library.models import (
    ConsultingRequest,
    LibraryDocument,
    SoftwareChange,
    ThirdPartyCoverage,
)
from weibao.reporting.models import AnalysisReport
from weibao.reporting.periods import last_closed
from weibao.tenancy.models import Customer

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (LibraryDocument, SoftwareChange, ThirdPartyCoverage,
                                        ConsultingRequest, AnalysisReport)]  # fmt: skip


def test_demo_loader_generates_the_last_closed_quarter_once():
    call_command("demo", stdout=io.StringIO())
    users = {u.username: u for u in User.objects.all()}
    customer = Customer.objects.get(code="huadong")

    load_reporting(customer, users)

    report = AnalysisReport.objects.get(contract__number="WB-2025-001")
    expected = last_closed(report.contract, "quarter", clock.today())
    assert (report.period_start, report.period_end) == (expected.start, expected.end)
    assert report.state == "ready"
    assert report.figures["overview"]["tickets"] >= 16
    assert report.figures["recurring"]["asset_total"] >= 1
    assert report.cause_analysis
    assert ThirdPartyCoverage.objects.filter(customer=customer).count() == 2
    assert LibraryDocument.objects.filter(published=True).count() == 4
    counts = _counts()
    load_reporting(customer, users)
    assert _counts() == counts


def test_demo_loader_takes_over_the_report_the_tick_queued(frozen_clock):
    import datetime as dt

    frozen_clock(dt.datetime(2026, 10, 3, 9, 0))  # Q3 closed two days ago
    call_command("demo", stdout=io.StringIO())  # its tick queues the automatic Q3 report
    queued = AnalysisReport.objects.get(contract__number="WB-2025-001")
    assert (queued.trigger, queued.period_start) == ("auto", dt.date(2026, 7, 1))

    users = {u.username: u for u in User.objects.all()}
    load_reporting(Customer.objects.get(code="huadong"), users)

    report = AnalysisReport.objects.get(contract__number="WB-2025-001")
    assert report.pk == queued.pk
    assert report.state == "ready"
    assert report.figures["overview"]["tickets"] >= 16
