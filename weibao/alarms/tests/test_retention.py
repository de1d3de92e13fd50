"""Raw deliveries are kept for the retention period once applied, then deleted by the runner;
the alarms they carried, their changes and a pending delivery stay."""

import datetime as dt

import pytest

from weibao.alarms.models import Alarm, AlarmChange, RawDelivery
from weibao.alarms.normalised import Normalised
from weibao.alarms.services.intake import accept, new_delivery
from weibao.alarms.services.retention import purge_raw
from weibao.core import due
from weibao.testing.factories import AlarmSourceFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ITEM = Normalised(labels={"alertname": "FsuOffline", "site": "EO-01"}, name="FsuOffline")


def test_applied_deliveries_past_the_retention_go_and_everything_else_stays(settings):
    settings.WEIBAO_ALARM_RAW_RETENTION_DAYS = 30
    source = AlarmSourceFactory()
    old = accept(source, [ITEM], raw={"body": "old"}, now=T0)
    recent = accept(source, [ITEM], raw={"body": "recent"}, now=T0 + dt.timedelta(days=25))
    waiting = new_delivery(source.pk, {"body": "pending"}, alarms=1, now=T0, pending=True)
    waiting.save(force_insert=True)

    # (called alone: the runner would first apply the pending one)
    assert purge_raw(now=T0 + dt.timedelta(days=31), limit=500) == 1

    assert set(RawDelivery.objects.values_list("body", flat=True)) == {"recent", "pending"}
    alarm = Alarm.objects.get()
    assert alarm.last_delivery_id == recent.delivery_id and alarm.repeat_count == 2
    assert AlarmChange.objects.filter(alarm=alarm).count() == 1  # its history stays
    assert not RawDelivery.objects.filter(pk=old.delivery_id).exists()


def test_the_runner_deletes_even_an_alarms_last_delivery_and_the_alarm_stays(settings):
    settings.WEIBAO_ALARM_RAW_RETENTION_DAYS = 30
    source = AlarmSourceFactory()
    accept(source, [ITEM], raw={"body": "only"}, now=T0)
    assert due.run(now=T0 + dt.timedelta(days=31), deliver=False)["alarms.purge_raw"] == 1
    alarm = Alarm.objects.get()
    assert alarm.last_delivery_id is None and alarm.state == "firing"


def test_a_retention_of_zero_keeps_every_delivery(settings):
    settings.WEIBAO_ALARM_RAW_RETENTION_DAYS = 0
    source = AlarmSourceFactory()
    accept(source, [ITEM], raw={"body": "kept"}, now=T0)
    assert due.run(now=T0 + dt.timedelta(days=3650), deliver=False)["alarms.purge_raw"] == 0
    assert RawDelivery.objects.count() == 1
