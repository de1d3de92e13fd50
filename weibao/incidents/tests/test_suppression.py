"""Inhibition and maintenance windows (ALM-2): alarms are kept, incidents recorded as
suppressed, no ticket."""

from __future__ import annotations

import datetime as dt

from weibao.alarms.models import Alarm
from weibao.core import clock
from weibao.fieldservice.testing import setup_field
from weibao.incidents.choices import Suppression
from weibao.incidents.models import Incident
from weibao.incidents.services import manage
from weibao.inspections.choices import VisitKind
from weibao.inspections.models import InspectionVisit
from weibao.tickets.models import Ticket


def test_all_front_ends_down_inhibits_the_per_device_incidents_of_the_site(platform):
    platform.send(*[platform.down(f"cam-{a.pk}", asset=a) for a in platform.cameras])
    platform.correlate()
    site_level = Incident.objects.get()
    assert site_level.level == "L1" and site_level.classification.inhibits

    camera = platform.cameras[0]
    platform.send(platform.down("video-1", asset=camera, name="VideoLoss"))
    platform.correlate()

    per_device = Incident.objects.get(rule="VideoLoss")
    assert per_device.suppression == Suppression.INHIBITED
    assert per_device.inhibited_by == site_level and per_device.ticket is None
    assert Ticket.objects.count() == 1
    assert Alarm.objects.filter(name="VideoLoss").exists()  # the alarm is kept


def test_the_site_level_incident_inhibits_per_device_ones_correlated_in_the_same_run(platform):
    # one delivery: every front-end down and a camera's own alarm; the site-level incident's
    # key comes first in the run, so the camera's incident meets it already classified
    camera = platform.cameras[0]
    platform.send(
        *[platform.down(f"cam-{a.pk}", asset=a) for a in platform.cameras],
        platform.down("video-1", asset=camera, name="VideoLoss"),
    )
    platform.correlate()

    site_level = Incident.objects.get(rule="DeviceUnreachable")
    per_device = Incident.objects.get(rule="VideoLoss")
    assert per_device.suppression == Suppression.INHIBITED
    assert per_device.inhibited_by == site_level and per_device.ticket is None
    assert Ticket.objects.count() == 1


def test_a_manual_window_keeps_alarms_and_opens_no_ticket(platform):
    now = clock.now()
    window = manage.set_window(site=platform.center, starts_at=now - dt.timedelta(hours=1),
                               ends_at=now + dt.timedelta(hours=1), reason="UPS 更换",
                               actor=platform.desk.manager)  # fmt: skip
    platform.send(platform.down("cam-1", asset=platform.cameras[0]))
    platform.correlate()

    incident = Incident.objects.get()
    assert incident.suppression == Suppression.MAINTENANCE
    assert "UPS 更换" in incident.suppression_note
    assert Ticket.objects.count() == 0 and Alarm.objects.count() == 1

    manage.end_window(window, actor=platform.desk.manager)
    platform.send(platform.down("cam-2", asset=platform.cameras[1]))
    platform.correlate()
    incident.refresh_from_db()
    assert incident.ticket is not None and incident.suppression == ""
    assert incident.ticket.asset is None  # its alarms, read back: two cameras


def test_a_window_on_one_asset_covers_only_that_asset(platform):
    now = clock.now()
    manage.set_window(asset=platform.cameras[0], starts_at=now, ends_at=now + dt.timedelta(hours=2),
                      reason="摄像机检修", actor=platform.desk.manager)  # fmt: skip
    platform.send(platform.down("cam-1", asset=platform.cameras[0]))
    platform.correlate()
    assert Ticket.objects.count() == 0

    platform.send(platform.down("cam-2", asset=platform.cameras[1]))
    platform.correlate()
    assert Ticket.objects.count() == 1


def test_a_planned_inspection_of_the_site_is_a_window(platform):
    today = clock.today()
    desk = platform.desk
    InspectionVisit.objects.create(
        customer=desk.customer, contract=desk.contract, site=platform.center,
        kind=VisitKind.values[0], plan_key="alarm-test", contract_year=1,
        period_start=today, period_end=today, planned_date=today, generated_date=today,
    )  # fmt: skip
    platform.send(platform.down("cam-1", asset=platform.cameras[0]))
    platform.correlate()

    incident = Incident.objects.get()
    assert incident.suppression == Suppression.MAINTENANCE and incident.ticket is None


def test_an_approved_major_operation_is_a_window_until_the_visit_checks_out(platform, frozen_clock):
    from weibao.fieldservice import services as fieldservice

    field = setup_field(platform.desk)
    visit = fieldservice.check_in(field.visit(), actor=platform.desk.engineer)
    approval = fieldservice.create_visit_document(
        visit, kind="major_operation", actor=platform.desk.engineer,
        data={"operation": "restart", "reason": "采集服务无响应", "impact": "监控中断约 10 分钟"},
    )  # fmt: skip
    field.signed(approval, role="om_department")
    tickets_before = Ticket.objects.count()

    platform.send(platform.down("cam-1", asset=platform.cameras[0]))
    platform.correlate()
    assert Incident.objects.get().suppression == Suppression.MAINTENANCE
    assert Ticket.objects.count() == tickets_before

    frozen_clock(clock.now() + dt.timedelta(hours=5))  # past the operation's hours
    platform.send(platform.down("cam-2", asset=platform.cameras[1]))
    platform.correlate()
    assert Ticket.objects.count() == tickets_before + 1


def test_a_window_on_an_end_office_spares_the_center_alarming_in_the_same_batch(platform):
    now = clock.now()
    manage.set_window(site=platform.office, starts_at=now - dt.timedelta(hours=1),
                      ends_at=now + dt.timedelta(hours=1), reason="端局割接",
                      actor=platform.desk.manager)  # fmt: skip
    office_down = platform.down("office-mains", site=platform.office, name="MainsFailure")
    center_down = platform.down("center-mains", site=platform.center, name="MainsFailure")
    platform.send(office_down, center_down)
    platform.correlate()

    office = Incident.objects.get(site=platform.office)
    center = Incident.objects.get(site=platform.center)
    assert office.suppression == Suppression.MAINTENANCE and office.ticket is None
    assert "端局割接" in office.suppression_note
    assert center.suppression == "" and center.ticket is not None
