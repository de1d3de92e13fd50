"""Both members of an Alertmanager HA pair post the same new group at the same moment: the
database sees one alarm per fingerprint and one raised change, never two (PostgreSQL, real
concurrent transactions)."""

import pytest
from django.db import connection

from weibao.alarms.models import Alarm, AlarmChange, RawDelivery
from weibao.alarms.services.receive import receive
from weibao.alarms.tests.conftest import fixture_bytes
from weibao.testing.factories import AlarmSourceFactory
from weibao.testing.races import in_parallel

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_simultaneous_ha_deliveries_make_one_alarm_per_fingerprint():
    source = AlarmSourceFactory(kind="alertmanager")
    body = fixture_bytes("alertmanager_group.json")
    answers = in_parallel(4, lambda _n: receive(source, body))
    assert Alarm.objects.count() == 2
    assert AlarmChange.objects.count() == 1  # FsuOffline raised once
    assert sum(a.raised for a in answers) == 1
    assert RawDelivery.objects.count() == 4
    assert sorted(Alarm.objects.values_list("repeat_count", flat=True)) == [4, 4]
    # Counted outside the deliveries' transactions, yet every one of them is counted.
    source.refresh_from_db()
    assert source.received == 4 and source.last_received_at is not None
