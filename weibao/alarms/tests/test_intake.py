"""accept(): one row per alarm, repeats counted, raise/resolve changes in the inbox."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from weibao.alarms.choices import AlarmState, ChangeKind
from weibao.alarms.models import Alarm, AlarmChange, AlarmSource, RawDelivery
from weibao.alarms.normalised import Normalised
from weibao.alarms.services.expiry import resolve_expired
from weibao.alarms.services.intake import accept
from weibao.testing.factories import AlarmSourceFactory, AssetFactory, SiteFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LABELS = {"alertname": "FsuOffline", "site": "EO-01", "instance": "fsu-1"}


def changes(alarm):
    return list(AlarmChange.objects.filter(alarm=alarm).values_list("kind", flat=True))


@pytest.fixture
def source():
    return AlarmSourceFactory()


def test_repeats_update_one_row_and_write_one_raised_change(source):
    item = Normalised(labels=LABELS, name="FsuOffline", starts_at=T0)
    first = accept(source, [item], raw={"body": "{}"}, now=T0)
    accept(source, [item], raw={"body": "{}"}, now=T0 + dt.timedelta(minutes=5))
    alarm = Alarm.objects.get()
    assert (first.raised, first.repeated) == (1, 0)
    assert alarm.repeat_count == 2
    assert alarm.last_seen == T0 + dt.timedelta(minutes=5)
    assert alarm.first_seen == T0
    assert changes(alarm) == [ChangeKind.RAISED]
    assert RawDelivery.objects.count() == 2
    source.refresh_from_db()
    assert source.received == 2
    assert source.last_received_at == T0 + dt.timedelta(minutes=5)


def test_resolved_after_firing_writes_one_resolved_change_and_redelivery_changes_nothing(source):
    accept(source, [Normalised(labels=LABELS, starts_at=T0)], now=T0)
    end = T0 + dt.timedelta(minutes=10)
    resolved = Normalised(labels=LABELS, starts_at=T0, ends_at=end, resolved=True)
    accept(source, [resolved], now=end + dt.timedelta(seconds=5))
    accept(source, [resolved], now=end + dt.timedelta(seconds=30))
    alarm = Alarm.objects.get()
    assert alarm.state == AlarmState.RESOLVED
    assert alarm.resolved_at == end
    assert changes(alarm) == [ChangeKind.RAISED, ChangeKind.RESOLVED]
    assert alarm.changes.get(kind=ChangeKind.RESOLVED).at == end


def test_a_late_firing_copy_does_not_reopen_but_a_new_occurrence_does(source):
    # An HA peer's firing copy of the occurrence that is already over.
    accept(source, [Normalised(labels=LABELS, starts_at=T0)], now=T0)
    end = T0 + dt.timedelta(minutes=10)
    accept(source, [Normalised(labels=LABELS, starts_at=T0, ends_at=end, resolved=True)], now=end)
    accept(source, [Normalised(labels=LABELS, starts_at=T0)], now=end + dt.timedelta(seconds=1))
    assert Alarm.objects.get().state == AlarmState.RESOLVED

    again = end + dt.timedelta(hours=1)
    accept(source, [Normalised(labels=LABELS, starts_at=again)], now=again)
    alarm = Alarm.objects.get()
    assert alarm.state == AlarmState.FIRING
    assert alarm.starts_at == again
    assert alarm.resolved_at is None
    assert changes(alarm) == [ChangeKind.RAISED, ChangeKind.RESOLVED, ChangeKind.RAISED]


def test_unknown_site_is_stored_with_null_site_and_known_ones_resolve(source):
    site = SiteFactory(customer=source.customer, code="EO-01")
    asset = AssetFactory(site=site, serial_number="FSU-0001")
    other_customer_site = SiteFactory(code="EO-02")
    accept(
        source,
        [
            Normalised(key="a", site_code="eo-01", asset_ref="FSU-0001"),
            Normalised(key="b", site_code="EO-02"),
            Normalised(key="c", site_code="", asset_ref="FSU-0001"),
        ],
        now=T0,
    )
    by_key = {a.key: a for a in Alarm.objects.all()}
    assert (by_key["a"].site, by_key["a"].asset) == (site, asset)
    assert by_key["b"].site is None and by_key["b"].site_ref == "EO-02"
    assert other_customer_site.customer != source.customer
    assert (by_key["c"].site, by_key["c"].asset) == (site, asset)


def test_a_center_reporting_a_device_below_it_keeps_its_site_and_finds_the_device(source):
    center = SiteFactory(customer=source.customer, code="MC-01", kind="monitoring_center")
    front = SiteFactory(customer=source.customer, code="FE-07", kind="front_end", parent=center)
    camera = AssetFactory(site=front, customer=source.customer, serial_number="CAM-0007")
    AssetFactory(serial_number="CAM-0008")  # another customer's device: never found
    accept(
        source,
        [
            Normalised(key="cam7", site_code="MC-01", asset_ref="CAM-0007"),
            Normalised(key="cam8", site_code="MC-01", asset_ref="CAM-0008"),
        ],
        now=T0,
    )
    by_key = {a.key: a for a in Alarm.objects.all()}
    assert (by_key["cam7"].site, by_key["cam7"].asset) == (center, camera)
    assert (by_key["cam8"].site, by_key["cam8"].asset) == (center, None)


def test_one_delivery_is_one_transaction(source, inbox_refused):
    with pytest.raises(DatabaseError):
        accept(source, [Normalised(labels=LABELS)], raw={"body": "x"}, now=T0)
    assert not Alarm.objects.exists()
    assert not RawDelivery.objects.exists()
    assert AlarmSource.objects.get().received == 0


def test_same_key_twice_in_one_delivery_is_one_alarm(source):
    result = accept(source, [Normalised(key="k"), Normalised(key="k")], now=T0)
    assert Alarm.objects.get().repeat_count == 2
    assert (result.raised, result.repeated) == (1, 1)


def test_presumed_end_resolves_when_due_and_a_resend_raises_again(source):
    timeout_end = T0 + dt.timedelta(minutes=5)
    item = Normalised(labels=LABELS, starts_at=T0, ends_at=timeout_end, auto_resolve=True)
    accept(source, [item], now=T0)
    assert resolve_expired(now=T0 + dt.timedelta(minutes=4), limit=10) == 0
    assert resolve_expired(now=T0 + dt.timedelta(minutes=6), limit=10) == 1
    alarm = Alarm.objects.get()
    assert alarm.state == AlarmState.RESOLVED and alarm.resolved_at == timeout_end
    later = T0 + dt.timedelta(minutes=20)
    accept(
        source,
        [Normalised(labels=LABELS, starts_at=T0, ends_at=later, auto_resolve=True)],
        now=later,
    )
    assert Alarm.objects.get().state == AlarmState.FIRING
    assert changes(alarm) == [ChangeKind.RAISED, ChangeKind.RESOLVED, ChangeKind.RAISED]


def test_the_runner_resolves_presumed_ends(source):
    from weibao.core import due

    (registered,) = [s for s in due.sources() if s.name == "alarms.auto_resolve"]
    item = Normalised(
        labels=LABELS, starts_at=T0, ends_at=T0 + dt.timedelta(minutes=5), auto_resolve=True
    )
    accept(source, [item], now=T0)
    assert due.drain(registered.process, now=T0 + dt.timedelta(minutes=5), batch=10) == 1
    assert Alarm.objects.get().state == AlarmState.RESOLVED


def test_rate_counts_recent_deliveries(source):
    from weibao.alarms.selectors import deliveries_per_minute

    for minute in range(10):
        accept(source, [Normalised(key="k")], now=T0 + dt.timedelta(minutes=minute))
    # Deliveries at minutes 5..9 fall within the five minutes before minute 9.5.
    assert deliveries_per_minute(source, now=T0 + dt.timedelta(minutes=9, seconds=30)) == 1.0


def test_an_unknown_severity_or_level_from_a_listener_is_not_a_failed_delivery(source):
    accept(source, [Normalised(key="x", severity="catastrophic", level="LEVEL-9")], now=T0)
    alarm = Alarm.objects.get()
    assert (alarm.severity, alarm.suggested_level) == ("warning", "")


def test_an_end_seen_before_its_begin_keeps_the_alarm_over(source):
    end = T0 + dt.timedelta(minutes=3)
    accept(source, [Normalised(key="b:1/9", ends_at=end, resolved=True)], now=end)
    # The FSU's earlier BEGIN arrives late (re-sent): the alarm stays over.
    accept(source, [Normalised(key="b:1/9", starts_at=T0)], now=end + dt.timedelta(minutes=1))
    alarm = Alarm.objects.get()
    assert (alarm.state, alarm.starts_at, alarm.resolved_at) == ("resolved", end, end)
    assert not AlarmChange.objects.exists()


def test_a_storms_repeats_are_written_together_and_each_row_keeps_its_own_change(source):
    labels = [{**LABELS, "instance": f"fsu-{n}"} for n in range(40)]
    accept(source, [Normalised(labels=each, starts_at=T0) for each in labels], now=T0)
    later = T0 + dt.timedelta(minutes=5)
    again = [Normalised(labels=each, starts_at=T0) for each in labels[2:]]
    again.append(Normalised(labels=labels[2], starts_at=T0))  # the same alarm twice
    again.append(Normalised(labels=labels[0], starts_at=T0, ends_at=later, resolved=True))
    again.append(Normalised(labels=labels[1], starts_at=T0, description="门禁告警 已升级"))
    with CaptureQueriesContext(connection) as queries:
        result = accept(source, again, raw={"body": "{}"}, now=later)
    updates = [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "alarms_alarm"')]
    # repeats once, repeats twice, the resolve, the new description: four statements, not 40
    assert len(updates) == 4
    reads = [q for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len([q for q in reads if 'FROM "alarms_alarm"' in q["sql"]]) == 1  # read once
    assert (result.raised, result.resolved, result.repeated) == (0, 1, 40)
    rows = {alarm.labels["instance"]: alarm for alarm in Alarm.objects.all()}
    assert rows["fsu-0"].state == AlarmState.RESOLVED and rows["fsu-0"].resolved_at == later
    assert rows["fsu-1"].description == "门禁告警 已升级" and rows["fsu-1"].state == "firing"
    assert rows["fsu-2"].repeat_count == 3
    assert {rows[f"fsu-{n}"].repeat_count for n in range(3, 40)} == {2}
    assert {alarm.last_seen for alarm in rows.values()} == {later}
    assert {alarm.last_delivery_id for alarm in rows.values()} == {result.delivery_id}
    assert rows["fsu-5"].description == ""  # no other row took the new description
