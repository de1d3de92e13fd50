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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_correlation_links_alarms_while_a_delivery_updating_them_is_still_open():
    """A storm's repeats keep its alarms' rows locked most of the time; linking those alarms to
    their incident (a foreign key checked with KEY SHARE) must not wait for each delivery."""
    import datetime as dt
    import threading

    from django.db import transaction

    from weibao.alarms.normalised import Normalised
    from weibao.alarms.services.intake import accept
    from weibao.incidents.models import Incident, IncidentAlarm

    source = AlarmSourceFactory(kind="am_api")
    item = Normalised(labels={"alertname": "FsuOffline", "site": "EO-01"}, name="FsuOffline")
    accept(source, [item])
    alarm = Alarm.objects.get()
    now = dt.datetime.now(dt.UTC)
    incident = Incident.objects.create(customer=source.customer, key="k", rule="FsuOffline",
                                       opened_at=now, last_change_at=now)  # fmt: skip
    holding, linked = threading.Event(), threading.Event()

    def work(n: int):
        if n == 0:  # a repeat of the alarm, its transaction left open until the link is made
            with transaction.atomic():
                accept(source, [item])
                holding.set()
                assert linked.wait(10)
            return "delivered"
        assert holding.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")  # waiting fails the test
            IncidentAlarm.objects.create(incident=incident, alarm=alarm, joined_at=now)
        linked.set()
        return "linked"

    assert in_parallel(2, work) == ["delivered", "linked"]
    assert Alarm.objects.get().repeat_count == 2
