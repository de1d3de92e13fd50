"""Deliveries stored as pending (what the lean intake process commits) are applied by the
runner (`alarms.apply`) exactly as a synchronous delivery is, in the order received, once."""

import datetime as dt
import json

import pytest
from django.db import connection

from weibao.alarms.models import Alarm, AlarmChange, RawDelivery
from weibao.alarms.services import pending
from weibao.alarms.services.intake import new_delivery
from weibao.alarms.services.pending import CHUNK, apply_pending
from weibao.alarms.services.reading import read
from weibao.alarms.services.receive import receive
from weibao.alarms.tests.conftest import NOW, fixture_bytes
from weibao.core import clock, due
from weibao.incidents.services.correlate import correlate
from weibao.testing.factories import AlarmSourceFactory
from weibao.testing.races import in_parallel


def store_pending(source, body: bytes, *, content_type="application/json", now=None):
    """What the lean intake process stores: the delivery read and validated, not applied."""
    now = now or clock.now()
    delivery = read(source, body, content_type=content_type, remote="10.0.0.9", now=now)
    row = new_delivery(source.pk, delivery.raw, alarms=len(delivery.items), now=now, pending=True)
    row.save(force_insert=True)
    return row


def alarms_of(source) -> list[tuple]:
    fields = [
        "key", "name", "severity", "suggested_level", "labels", "description", "site_id",
        "asset_id", "site_ref", "asset_ref", "state", "starts_at", "ends_at", "auto_resolve",
        "first_seen", "last_seen", "repeat_count", "resolved_at",
    ]  # fmt: skip
    return list(Alarm.objects.filter(source=source).order_by("key").values_list(*fields))


def changes_of(source) -> list[tuple]:
    return list(
        AlarmChange.objects.filter(alarm__source=source)
        .order_by("alarm__key", "id")
        .values_list("alarm__key", "kind", "at")
    )


def group(status: str, minute: int = 55) -> bytes:
    """FSU-0001 offline since 00:<minute> UTC, or back a minute later."""
    starts = dt.datetime(2026, 3, 2, 0, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=minute)
    ends = starts + dt.timedelta(minutes=1)
    alert = {
        "status": status,
        "labels": {"alertname": "FsuOffline", "site": "EO-01", "instance": "FSU-0001:9100"},
        "annotations": {"summary": "FSU 不在线"},
        "startsAt": starts.isoformat(),
        "endsAt": ends.isoformat() if status == "resolved" else "0001-01-01T00:00:00Z",
    }
    return json.dumps({"version": "4", "status": status, "alerts": [alert]}).encode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "fixture", "content_type"),
    [
        ("am_api", "am_api_alerts.json", "application/json"),
        ("alertmanager", "alertmanager_group.json", "application/json"),
        ("b_interface", "b_send_alarm_begin.xml", "text/xml"),
    ],
)
def test_a_pending_delivery_applied_later_gives_what_the_synchronous_path_gives(
    site_world, frozen_clock, kind, fixture, content_type
):
    site, _asset = site_world
    body = fixture_bytes(fixture)
    now = frozen_clock(NOW)
    synchronous = AlarmSourceFactory(customer=site.customer, kind=kind)
    receive(synchronous, body, content_type=content_type, remote="10.0.0.9")
    later = AlarmSourceFactory(customer=site.customer, kind=kind)
    delivery = store_pending(later, body, content_type=content_type)
    assert not Alarm.objects.filter(source=later).exists()
    assert due.waiting()["alarms.apply"] == 1

    # The runner comes by ten minutes later: the alarms read as of their receipt (a missing
    # startsAt is the time received, the presumed end counts from it).
    frozen_clock(NOW + dt.timedelta(minutes=10))
    assert due.run()["alarms.apply"] == 1

    assert alarms_of(later) == alarms_of(synchronous) != []
    assert changes_of(later) == changes_of(synchronous)
    delivery.refresh_from_db()
    assert not delivery.pending
    assert set(Alarm.objects.filter(source=later).values_list("last_delivery", flat=True)) == {
        delivery.pk
    }
    assert Alarm.objects.filter(source=later).first().first_seen == now
    assert due.run()["alarms.apply"] == 0  # applied once


@pytest.mark.django_db
def test_a_raise_then_its_resolve_in_two_deliveries_are_applied_in_that_order(make_source):
    source = make_source("alertmanager")
    with clock.frozen_at(NOW.replace(tzinfo=dt.UTC)):
        store_pending(source, group("firing"))
        store_pending(source, group("resolved"))
    # One delivery at a time: the raise first, even across batches.
    assert apply_pending(now=clock.now(), limit=1) == 1
    assert Alarm.objects.get(source=source).state == "firing"
    assert apply_pending(now=clock.now(), limit=1) == 1
    alarm = Alarm.objects.get(source=source)
    assert alarm.state == "resolved"
    assert list(alarm.changes.order_by("id").values_list("kind", flat=True)) == [
        "raised",
        "resolved",
    ]


@pytest.mark.django_db
def test_a_run_applies_a_backlog_longer_than_one_transaction_whole_and_in_order(
    make_source, monkeypatch
):
    monkeypatch.setattr(pending, "SLICE_SECONDS", 3600)  # however slow the machine
    source = make_source("alertmanager")
    count = 2 * CHUNK + 5  # three transactions of the runner
    with clock.frozen_at(NOW.replace(tzinfo=dt.UTC)):
        for step in range(count):
            status = "firing" if step % 2 == 0 else "resolved"
            store_pending(source, group(status, minute=step - step % 2))
    assert apply_pending(now=clock.now(), limit=500) == count
    assert not RawDelivery.objects.filter(pending=True).exists()
    alarm = Alarm.objects.get(source=source)
    assert alarm.repeat_count == count
    kinds = list(alarm.changes.order_by("id").values_list("kind", flat=True))
    assert kinds == (["raised", "resolved"] * count)[:count]


@pytest.mark.django_db
def test_a_storms_backlog_gives_way_to_the_other_sources_after_its_slice(make_source, monkeypatch):
    source = make_source("alertmanager")
    with clock.frozen_at(NOW.replace(tzinfo=dt.UTC)):
        store_pending(source, group("firing"))
        assert apply_pending(now=clock.now(), limit=500) == 1  # the alarm raised
        for _step in range(CHUNK + 3):
            store_pending(source, group("firing"))  # its repeats
    monkeypatch.setattr(pending, "SLICE_SECONDS", 0)  # the slice is over after one chunk
    # one transaction's worth, then back to the runner (less than asked: drain() moves on)
    assert apply_pending(now=clock.now(), limit=500) == CHUNK
    assert RawDelivery.objects.filter(pending=True).count() == 3
    assert Alarm.objects.get(source=source).repeat_count == 1 + CHUNK
    assert apply_pending(now=clock.now(), limit=500) == 3  # the rest on the next round
    assert Alarm.objects.get(source=source).repeat_count == 1 + CHUNK + 3


@pytest.mark.django_db
def test_a_delivery_that_raises_an_alarm_reaches_correlation_without_waiting_for_the_chunk(
    make_source, monkeypatch
):
    monkeypatch.setattr(pending, "SLICE_SECONDS", 0)  # one transaction per call
    monkeypatch.setattr(pending, "CHANGE_SLICE_SECONDS", 0)  # even after a change
    source = make_source("alertmanager")
    with clock.frozen_at(NOW.replace(tzinfo=dt.UTC)):
        store_pending(source, group("firing"))
        for _step in range(3):
            store_pending(source, group("firing"))  # repeats, applied after it
    assert apply_pending(now=clock.now(), limit=500) == 1  # committed on its own
    assert AlarmChange.objects.filter(processed_at__isnull=True, kind="raised").count() == 1
    assert RawDelivery.objects.filter(pending=True).count() == 3
    assert apply_pending(now=clock.now(), limit=500) == 3  # the repeats together
    assert Alarm.objects.get(source=source).repeat_count == 4


@pytest.mark.django_db
def test_deliveries_that_raise_or_resolve_alarms_go_on_past_the_slice(make_source, monkeypatch):
    monkeypatch.setattr(pending, "SLICE_SECONDS", 0)  # repeats: one transaction per call
    monkeypatch.setattr(pending, "CHANGE_SLICE_SECONDS", 3600)  # however slow the machine
    source = make_source("alertmanager")
    with clock.frozen_at(NOW.replace(tzinfo=dt.UTC)):
        for step in range(4):  # down, back, down, back
            status = "firing" if step % 2 == 0 else "resolved"
            store_pending(source, group(status, minute=step - step % 2))
        store_pending(source, group("firing", minute=10))  # down again
        for _step in range(CHUNK + 3):
            store_pending(source, group("firing", minute=10))  # its repeats
    # each change committed on its own and the call going on, then one transaction of
    # repeats, and the slice is over: the rest on the next round
    assert apply_pending(now=clock.now(), limit=500) == 5 + CHUNK
    kinds = list(AlarmChange.objects.filter(alarm__source=source).order_by("id")
                 .values_list("kind", flat=True))  # fmt: skip
    assert kinds == ["raised", "resolved", "raised", "resolved", "raised"]
    assert RawDelivery.objects.filter(pending=True).count() == 3


@pytest.mark.django_db
def test_repeats_give_way_while_a_raised_alarm_waits_for_correlation(make_source, monkeypatch):
    monkeypatch.setattr(pending, "SLICE_SECONDS", 3600)  # however slow the machine
    source = make_source("alertmanager")
    with clock.frozen_at(NOW.replace(tzinfo=dt.UTC)):
        store_pending(source, group("firing"))
        for _step in range(CHUNK + 3):
            store_pending(source, group("firing"))  # its repeats
    # the raise, one transaction of repeats, then the runner turns to correlating it
    assert apply_pending(now=clock.now(), limit=500) == 1 + CHUNK
    assert RawDelivery.objects.filter(pending=True).count() == 3
    due.drain(correlate, now=clock.now(), batch=500)
    assert apply_pending(now=clock.now(), limit=500) == 3  # nothing waits: the rest at once
    assert Alarm.objects.get(source=source).repeat_count == 1 + CHUNK + 3


@pytest.mark.django_db
def test_a_stored_gbk_body_is_read_again_byte_for_byte(make_source, frozen_clock):
    frozen_clock(NOW)
    source = make_source("b_interface")
    body = (
        fixture_bytes("b_send_alarm_begin.xml")
        .decode()
        .replace('encoding="UTF-8"', 'encoding="GBK"')
        .encode("gbk")
    )
    delivery = store_pending(source, body, content_type="text/xml")
    assert "stored-as=gb18030" in delivery.content_type
    due.run()
    assert Alarm.objects.filter(source=source, name="交流输入停电告警").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent runners need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_runners_never_apply_a_delivery_twice_nor_out_of_order():
    sources = [AlarmSourceFactory(kind="alertmanager") for _ in range(3)]
    steps = 30  # down, back, down again, … every minute: each change only in this order
    with clock.frozen_at(dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)):
        for step in range(steps):
            for source in sources:
                status = "firing" if step % 2 == 0 else "resolved"
                store_pending(source, group(status, minute=step - step % 2))

    def runner(_n) -> int:
        applied = 0
        while RawDelivery.objects.filter(pending=True).exists():
            applied += apply_pending(now=clock.now(), limit=4)
        return applied

    assert sum(in_parallel(2, runner)) == steps * len(sources)
    for source in sources:
        alarm = Alarm.objects.get(source=source)
        assert alarm.repeat_count == steps  # each delivery applied once
        kinds = list(alarm.changes.order_by("id").values_list("kind", flat=True))
        assert kinds == ["raised", "resolved"] * (steps // 2)  # and in the order received
