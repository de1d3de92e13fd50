"""Two correlators at once (PostgreSQL, real concurrent transactions): each claims its own
changes of the inbox (SKIP LOCKED); when both hold changes of one key, one correlates it and
the other leaves its changes for its next run instead of waiting — one incident, one ticket,
nothing processed twice, nothing left behind."""

import threading

import pytest
from django.db import connection, connections, transaction

from weibao.alarms.models import AlarmChange
from weibao.core import clock
from weibao.incidents.models import Incident, IncidentAlarm
from weibao.incidents.services import correlate as correlation
from weibao.incidents.services.correlate import correlate
from weibao.testing.races import in_parallel
from weibao.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent workers need PostgreSQL")
def test_two_correlators_open_one_incident_and_one_ticket(platform):
    platform.send(*[platform.down(f"node-{i}") for i in range(400)])
    now = clock.now()
    in_parallel(2, lambda _n: correlate(now=now, limit=200))
    while correlate(now=now, limit=200):  # what one of them may have left for its next run
        pass
    assert Incident.objects.count() == 1
    assert Ticket.objects.count() == 1
    assert IncidentAlarm.objects.count() == 400
    assert not AlarmChange.objects.filter(processed_at__isnull=True).exists()
    assert correlate(now=now, limit=200) == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent workers need PostgreSQL")
def test_a_worker_leaves_a_key_another_is_correlating_and_goes_on_with_the_rest(platform):
    platform.send(*[platform.down(f"node-{i}") for i in range(4)])
    now = clock.now()
    first_holds, release, failures = threading.Event(), threading.Event(), []

    def first():  # correlates the first two changes of the key, not yet committed
        try:
            with transaction.atomic():
                correlate(now=now, limit=2)
                first_holds.set()
                release.wait(30)
        except Exception as error:  # reported by the test below
            failures.append(error)
        finally:
            first_holds.set()
            connections.close_all()

    thread = threading.Thread(target=first)
    thread.start()
    first_holds.wait(30)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")  # waiting for the first would fail
        # the other two changes of the key are claimed, left in the inbox, not waited for
        assert correlation.correlate(now=now, limit=200) == 0
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
        release.set()
        thread.join(30)
    assert failures == []
    assert AlarmChange.objects.filter(processed_at__isnull=True).count() == 2
    assert correlate(now=now, limit=200) == 2  # the next run: they join the incident
    assert Incident.objects.count() == 1
    assert IncidentAlarm.objects.count() == 4
    assert Ticket.objects.count() == 1
