"""The operation-analysis report's alarm statistics (ANA-1) from alarms sent through the real
intake and correlation: by type, site and severity, MTTA/MTTR of the alarm-opened ticket, the
most flapping device; the pending title while a customer has no alarm source."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from weibao.contracts.policy import ClockKind
from weibao.core import clock
from weibao.incidents.models import Incident
from weibao.reporting import presenters, services
from weibao.reporting.periods import period_at
from weibao.reporting.sections import Scope, compute_figures
from weibao.sla.models import Clock
from weibao.tickets.choices import Channel
from weibao.tickets.models import Ticket

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.reporting.tests.urls")]


@pytest.fixture(autouse=True)
def _reports_inline(settings, tmp_path):
    settings.WEIBAO_REPORT_THREADS = False
    settings.MEDIA_ROOT = tmp_path / "media"


def _figures(contract):
    period = period_at(contract, "month", dt.date(2026, 3, 2))
    return compute_figures(Scope(contract=contract, period=period, now=clock.now()))


def _counts(rows):
    return {r["label"]: r["count"] for r in rows if r["count"]}


def test_alarm_statistics_of_the_month(platform, frozen_clock, django_capture_on_commit_callbacks):
    cameras = platform.cameras
    for i, camera in enumerate(cameras, start=1):
        platform.send(platform.down(f"cam-{i}", asset=camera, severity="critical"))
    platform.send(platform.down("eo-1", site=platform.office, name="DoorOpen", severity="minor"))
    platform.correlate()
    for _ in range(2):  # camera 1 comes back and goes down again, twice
        frozen_clock(clock.now() + dt.timedelta(minutes=1))
        platform.send(platform.up("cam-1", asset=cameras[0], severity="critical"))
        frozen_clock(clock.now() + dt.timedelta(minutes=1))
        platform.send(platform.down("cam-1", asset=cameras[0], severity="critical"))
        platform.correlate()

    incident = Incident.objects.get(rule="DeviceUnreachable")
    ticket = incident.ticket
    assert ticket.channel == Channel.ALARM
    # Answered by phone 30 min after the alarm opened it, resolved 4 h after.
    Clock.objects.filter(ticket=ticket, kind=ClockKind.PHONE_RESPONSE).update(
        met_at=ticket.reported_at + dt.timedelta(minutes=30)
    )
    Ticket.objects.filter(pk=ticket.pk).update(
        resolved_at=ticket.reported_at + dt.timedelta(hours=4)
    )

    alarms = _figures(platform.desk.contract)["alarms"]
    assert alarms["alarms"] == 6  # 3 cameras + the door + camera 1 raised twice more
    assert _counts(alarms["by_type"]) == {"DeviceUnreachable": 5, "DoorOpen": 1}
    assert _counts(alarms["by_site"]) == {"监控中心": 5, "端局一": 1}
    assert _counts(alarms["by_severity"]) == {"严重": 5, "次要": 1}
    assert alarms["incidents"] == Incident.objects.count()
    opened = Ticket.objects.filter(channel=Channel.ALARM).count()
    assert alarms["tickets"]["tickets"] == opened
    assert alarms["tickets"]["acknowledged"] == 1 and alarms["tickets"]["mtta_hours"] == 0.5
    assert alarms["tickets"]["resolved"] == 1 and alarms["tickets"]["mttr_hours"] == 4.0
    assert alarms["flapping"] == [{"label": "摄像机1", "site": "监控中心", "count": 3, "alarms": 1}]

    with django_capture_on_commit_callbacks(execute=True):
        generated = services.request_report(
            platform.desk.contract,
            period_kind="month",
            day=dt.date(2026, 3, 2),
            actor=platform.desk.manager,
        )
    generated.refresh_from_db()
    assert generated.state == "ready" and generated.figures["alarms"]["alarms"] == 6
    assert "alarms_by_severity" in generated.charts
    sheet = load_workbook(io.BytesIO(generated.xlsx.open("rb").read()))["九、告警统计"]
    assert ["DeviceUnreachable", 5] in [[c.value for c in row][:2] for row in sheet.iter_rows()]
    word = Document(io.BytesIO(generated.docx.open("rb").read()))
    assert "九、告警统计" in [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    pdf = "".join(page.extract_text() for page in PdfReader(generated.pdf.open("rb")).pages)
    assert "九、告警统计" in pdf and "告警统计（待接入监控平台）" not in pdf

    report = SimpleNamespace(figures={"alarms": alarms}, cause_analysis="",
                             maintenance_problems="", improvement_suggestions="")  # fmt: skip
    section = next(s for s in presenters.present(report) if s.key == "alarms")
    assert section.title == "告警统计"
    tables = {b.title: b for b in section.blocks if b.type == "table"}
    assert ("DeviceUnreachable", 5) in tables["按告警类型"].rows
    assert ("摄像机1", "监控中心", 3, 1) in tables["告警反复最多的设备（前 10 台）"].rows


def test_a_customer_without_an_alarm_source_keeps_the_pending_title(desk):
    assert _figures(desk.contract)["alarms"] is None
    report = SimpleNamespace(figures={"alarms": None}, cause_analysis="",
                             maintenance_problems="", improvement_suggestions="")  # fmt: skip
    section = next(s for s in presenters.present(report) if s.key == "alarms")
    assert section.title == "告警统计（待接入监控平台）"
