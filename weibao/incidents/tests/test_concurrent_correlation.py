"""Two correlators at once (PostgreSQL, real concurrent transactions): each claims its own
changes of the inbox (SKIP LOCKED), both see the same key, the partial unique index lets one
open the incident and the other joins it — one incident, one ticket, nothing processed
twice."""

import threading

import pytest
from django.db import connection, connections

from weibao.alarms.models import AlarmChange
from weibao.core import clock
from weibao.incidents.models import Incident, IncidentAlarm
from weibao.incidents.services.correlate import correlate
from weibao.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent workers need PostgreSQL")
def test_two_correlators_open_one_incident_and_one_ticket(platform):
    platform.send(*[platform.down(f"node-{i}") for i in range(400)])
    now = clock.now()
    start = threading.Barrier(2)
    done, failures = [], []

    def worker():
        try:
            start.wait()
            done.append(correlate(now=now, limit=200))
        except Exception as error:  # reported below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert sorted(done) == [200, 200]  # each claimed its own half
    assert Incident.objects.count() == 1
    assert Ticket.objects.count() == 1
    assert IncidentAlarm.objects.count() == 400
    assert not AlarmChange.objects.filter(processed_at__isnull=True).exists()
    assert correlate(now=now, limit=200) == 0
