"""Scenario tests of correlation (ALM-2, ALM-3): a storm is one incident and one ticket,
the window, flapping, level rise, recovery."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from weibao.alarms.models import AlarmChange
from weibao.core import clock
from weibao.incidents.choices import IncidentState
from weibao.incidents.models import Incident
from weibao.incidents.services.correlate import CHUNK
from weibao.tickets.choices import Channel, Stage
from weibao.tickets.models import Ticket


def test_a_storm_from_one_site_is_one_incident_and_one_ticket(platform):
    platform.send(*[platform.down(f"node-{i}") for i in range(1200)])

    assert platform.correlate() == 1200
    incident = Incident.objects.get()
    assert incident.alarm_count == incident.firing_count == 1200
    ticket = Ticket.objects.get()
    assert incident.ticket == ticket
    assert ticket.channel == Channel.ALARM and ticket.site == platform.center
    assert ticket.clocks.exists()  # clocks and ladder started as for any request
    assert platform.correlate() == 0  # nothing left: safe to run twice


def test_repeats_of_an_alarm_stay_one_incident(platform):
    alarm = platform.down("cam-1", asset=platform.cameras[0])
    platform.send(alarm)
    platform.send(alarm)
    platform.correlate()
    platform.send(alarm)
    platform.correlate()

    incident = Incident.objects.get()
    assert incident.alarm_count == 1 and incident.raise_count == 1
    assert Ticket.objects.count() == 1


def test_one_camera_down_opens_an_l3_ticket_that_rises_to_l1_when_all_are_down(platform):
    first, *others = platform.cameras
    platform.send(platform.down("cam-1", asset=first))
    platform.correlate()
    ticket = Ticket.objects.get()
    assert ticket.level == "L3"
    assert [c.text for c in ticket.criteria.all()] == ["摄像机故障"]

    platform.send(*[platform.down(f"cam-{a.pk}", asset=a) for a in others])
    platform.correlate()

    ticket.refresh_from_db()
    assert ticket.level == "L1" and ticket.stage == Stage.EMERGENCY
    assert Ticket.objects.count() == 1
    assert Incident.objects.get().level == "L1"


def test_recovery_resolves_the_incident_and_is_written_on_the_ticket(platform):
    platform.send(platform.down("cam-1", asset=platform.cameras[0]))
    platform.correlate()
    platform.send(platform.up("cam-1", asset=platform.cameras[0]))
    platform.correlate()

    incident = Incident.objects.get()
    assert incident.state == IncidentState.RESOLVED and incident.resolved_at == clock.now()
    ticket = incident.ticket
    assert ticket.is_open  # closes through the normal flow (callback, report)
    from weibao.tickets.selectors import timeline

    texts = [entry.text for entry in timeline(ticket, platform.desk.agent)]
    assert any(text.startswith(f"告警事件 #{incident.pk} 已恢复") for text in texts)


def test_an_alarm_back_within_the_window_rejoins_the_incident_after_it_opens_a_new_one(
    platform, frozen_clock
):
    camera = platform.cameras[0]
    platform.send(platform.down("cam-1", asset=camera))
    platform.correlate()
    platform.send(platform.up("cam-1", asset=camera))
    platform.correlate()

    frozen_clock(clock.now() + dt.timedelta(minutes=10))
    platform.send(platform.down("cam-1", asset=camera))
    platform.correlate()
    assert Incident.objects.count() == 1
    assert Incident.objects.get().state == IncidentState.OPEN
    platform.send(platform.up("cam-1", asset=camera))
    platform.correlate()

    frozen_clock(clock.now() + dt.timedelta(minutes=31))
    platform.send(platform.down("cam-1", asset=camera))
    platform.correlate()
    assert Incident.objects.count() == 2
    assert Incident.objects.filter(state=IncidentState.OPEN).count() == 1


def test_a_flapping_alarm_is_held_as_one_flapping_incident(platform, frozen_clock):
    camera = platform.cameras[0]
    for _round in range(6):
        platform.send(platform.down("cam-1", asset=camera))
        platform.correlate()
        frozen_clock(clock.now() + dt.timedelta(minutes=2))
        platform.send(platform.up("cam-1", asset=camera))
        platform.correlate()
        frozen_clock(clock.now() + dt.timedelta(minutes=2))

    incident = Incident.objects.get()
    assert incident.flapping and incident.state == IncidentState.OPEN
    assert Ticket.objects.count() == 1

    frozen_clock(clock.now() + dt.timedelta(minutes=31))
    from weibao.core import due

    due.run(deliver=False)
    incident.refresh_from_db()
    assert incident.state == IncidentState.RESOLVED


def test_a_storm_of_10000_alarms_is_one_incident_and_one_ticket(platform):
    """One incident and one ticket; how fast is the storm benchmark's business, not this test's
    (bench/bench_alarm_storm.py)."""
    from weibao.alarms.normalised import Normalised

    now = clock.now()
    code = platform.center.code
    platform.send(*[Normalised(key=f"n{i}", name="DeviceUnreachable", site_code=code,
                               starts_at=now) for i in range(10_000)])  # fmt: skip
    assert platform.correlate() == 10_000

    incident = Incident.objects.get()
    assert incident.alarm_count == 10_000 and Ticket.objects.count() == 1


def test_an_alert_firing_for_days_before_it_was_sent_counts_from_its_receipt(platform):
    platform.send(platform.down("old-1", starts_at=clock.now() - dt.timedelta(days=3)))
    platform.correlate()

    ticket = Ticket.objects.get()
    assert ticket.reported_at == clock.now()
    assert not ticket.clocks.filter(breached_at__isnull=False).exists()


def test_a_storm_longer_than_one_chunk_is_one_incident_and_one_ticket(platform):
    storm = [platform.down(f"cam-{n}", asset=platform.cameras[n % 3]) for n in range(CHUNK + 30)]
    platform.send(*storm)
    assert platform.correlate() == CHUNK + 30

    incident = Incident.objects.get()
    assert incident.alarm_count == CHUNK + 30 and incident.ticket is not None
    assert Ticket.objects.count() == 1
    assert not AlarmChange.objects.filter(processed_at__isnull=True).exists()


def test_the_database_holds_one_open_incident_per_key(platform):
    """ALM-2: whatever a worker does, a second open incident of a key is refused by the
    database itself (the partial unique index); a recovered one of the same key is kept."""
    platform.send(platform.down("cam-1"))
    platform.correlate()
    first = Incident.objects.get()
    twin = {"customer": first.customer, "site": first.site, "rule": first.rule,
            "key": first.key, "title": "twin", "opened_at": clock.now(),
            "last_change_at": clock.now()}  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.create(**twin)
    Incident.objects.create(**twin, state=IncidentState.RESOLVED, resolved_at=clock.now())
    assert Incident.objects.filter(key=first.key, state=IncidentState.OPEN).count() == 1
    assert Incident.objects.filter(key=first.key).count() == 2


def test_a_key_whose_correlation_fails_stays_in_the_inbox_and_the_others_open_their_tickets(
    platform, monkeypatch, caplog
):
    """A fault in one incident's data or code (injected here) costs that key, not the run:
    the storm's other tickets open, the runner goes on, and the key is correlated once the
    fault is gone."""
    from weibao.incidents.services import correlate

    real = correlate._classify_and_ticket

    def failing(incident, *args, **kwargs):
        if incident.rule == "DoorOpen":
            raise RuntimeError("a fault in this incident")
        return real(incident, *args, **kwargs)

    monkeypatch.setattr(correlate, "_classify_and_ticket", failing)
    platform.send(
        platform.down("door-1", site=platform.office, name="DoorOpen"),
        platform.down("cam-1", asset=platform.cameras[0]),
        platform.down("eo-1", site=platform.office, name="MainsFailure"),
    )
    assert platform.correlate() == 2  # the runner's due source returns; it does not raise

    assert sorted(Incident.objects.values_list("rule", flat=True)) == [
        "DeviceUnreachable", "MainsFailure",
    ]  # fmt: skip
    assert Ticket.objects.count() == 2
    waiting = AlarmChange.objects.filter(processed_at__isnull=True)
    assert list(waiting.values_list("alarm__name", flat=True)) == ["DoorOpen"]
    assert "DoorOpen".lower() in caplog.text and "stay in the inbox" in caplog.text

    monkeypatch.undo()  # the fault fixed (a deploy): the next run correlates the key
    assert platform.correlate() == 1
    assert not waiting.exists()
    assert Ticket.objects.count() == 3
