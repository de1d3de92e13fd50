"""Two correlators at once (PostgreSQL, real concurrent transactions): each claims its own
changes of the inbox (SKIP LOCKED), both see the same key, the partial unique index lets one
open the incident and the other joins it — one incident, one ticket, nothing processed
twice."""

import pytest
from django.db import connection

from weibao.alarms.models import AlarmChange
from weibao.core import clock
from weibao.incidents.models import Incident, IncidentAlarm
from weibao.incidents.services.correlate import correlate
from weibao.testing.races import in_parallel
from weibao.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent workers need PostgreSQL")
def test_two_correlators_open_one_incident_and_one_ticket(platform):
    platform.send(*[platform.down(f"node-{i}") for i in range(400)])
    now = clock.now()
    done = in_parallel(2, lambda _n: correlate(now=now, limit=200))
    assert sorted(done) == [200, 200]  # each claimed its own half
    assert Incident.objects.count() == 1
    assert Ticket.objects.count() == 1
    assert IncidentAlarm.objects.count() == 400
    assert not AlarmChange.objects.filter(processed_at__isnull=True).exists()
    assert correlate(now=now, limit=200) == 0
