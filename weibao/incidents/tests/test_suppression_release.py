"""A suppressed incident whose alarms are still firing when its suppression ends opens its
ticket by itself (`incidents.recheck`), without waiting for another alarm: the fault is the
desk's from that moment, and its clocks count from then."""

from __future__ import annotations

import datetime as dt

from weibao.core import clock
from weibao.core.models import ChangeLog
from weibao.incidents.choices import IncidentEvent, Suppression
from weibao.incidents.models import Incident
from weibao.incidents.services import manage
from weibao.incidents.services.correlate import RECHECK, recheck_suppressed
from weibao.tickets.models import Ticket


def _recheck(frozen_clock, at: dt.datetime) -> int:
    frozen_clock(at)
    return recheck_suppressed(now=clock.now(), limit=500)


def _camera_down_in_a_window(platform, *, until: dt.datetime) -> None:
    """A window over the center until `until`, and a camera going down inside it."""
    manage.set_window(site=platform.center, starts_at=until - dt.timedelta(hours=2),
                      ends_at=until, reason="UPS 更换", actor=platform.desk.manager)  # fmt: skip
    platform.send(platform.down("cam-1", asset=platform.cameras[0]))
    platform.correlate()


def test_a_window_ending_with_the_alarm_still_firing_opens_the_ticket_from_then(
    platform, frozen_clock
):
    start = clock.now()
    _camera_down_in_a_window(platform, until=start + dt.timedelta(minutes=30))
    incident = Incident.objects.get()
    assert incident.suppression == Suppression.MAINTENANCE and incident.ticket is None

    # still inside the window: looked at, still suppressed, nothing written again
    assert _recheck(frozen_clock, start + RECHECK) == 1
    incident.refresh_from_db()
    assert incident.ticket is None and incident.recheck_at == start + 2 * RECHECK
    assert ChangeLog.objects.filter(kind=IncidentEvent.SUPPRESSED).count() == 1

    released = start + dt.timedelta(minutes=31)
    assert _recheck(frozen_clock, released) == 1
    incident.refresh_from_db()
    assert incident.suppression == "" and incident.recheck_at is None
    ticket = incident.ticket
    assert ticket is not None and ticket.reported_at == released  # its clocks from now
    assert ticket.clocks.exists()
    assert ChangeLog.objects.filter(kind=IncidentEvent.RELEASED, object_id=incident.pk).exists()
    assert _recheck(frozen_clock, released + RECHECK) == 0  # once


def test_the_inhibiting_incident_recovering_releases_the_per_device_one(platform, frozen_clock):
    start = clock.now()
    platform.send(*[platform.down(f"cam-{a.pk}", asset=a) for a in platform.cameras])
    platform.correlate()
    camera = platform.cameras[0]
    platform.send(platform.down("video-1", asset=camera, name="VideoLoss"))
    platform.correlate()
    per_device = Incident.objects.get(rule="VideoLoss")
    assert per_device.suppression == Suppression.INHIBITED and per_device.ticket is None

    frozen_clock(start + dt.timedelta(minutes=5))  # the cameras answer again; video still lost
    platform.send(*[platform.up(f"cam-{a.pk}", asset=a) for a in platform.cameras])
    platform.correlate()
    assert Incident.objects.get(rule="DeviceUnreachable").state == "resolved"

    _recheck(frozen_clock, start + dt.timedelta(minutes=6))
    per_device.refresh_from_db()
    assert per_device.ticket is not None and per_device.suppression == ""
    assert Ticket.objects.count() == 2


def test_an_alarm_over_before_the_window_ends_opens_nothing(platform, frozen_clock):
    start = clock.now()
    _camera_down_in_a_window(platform, until=start + dt.timedelta(minutes=30))
    frozen_clock(start + dt.timedelta(minutes=10))
    platform.send(platform.up("cam-1", asset=platform.cameras[0]))
    platform.correlate()

    _recheck(frozen_clock, start + dt.timedelta(minutes=40))
    assert Ticket.objects.count() == 0
    assert Incident.objects.get().recheck_at is None
