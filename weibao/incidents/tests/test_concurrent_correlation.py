"""Two correlators at once (PostgreSQL, real concurrent transactions): each claims its own
changes of the inbox (SKIP LOCKED); when both hold changes of one key, one correlates it and
the other leaves its changes for its next run instead of waiting — one incident, one ticket,
nothing processed twice, nothing left behind."""

import pytest
from django.db import connection

from weibao.alarms.models import AlarmChange
from weibao.core import clock
from weibao.incidents.models import Incident, IncidentAlarm
from weibao.incidents.services.correlate import correlate
from weibao.testing.races import committed_on_exit, in_parallel
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
    platform.send(*[platform.down(f"node-{i}") for i in range(4)],
                  platform.down("mains", site=platform.office, name="MainsFailure"))  # fmt: skip
    now = clock.now()
    # another worker correlates the first two changes of the key, not yet committed
    with committed_on_exit(lambda: correlate(now=now, limit=2)):
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")  # waiting for the other would fail
        try:
            # the key's other two changes are claimed and left in the inbox, not waited for;
            # the other key's change is correlated
            assert correlate(now=now, limit=200) == 1
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
    assert AlarmChange.objects.filter(processed_at__isnull=True).count() == 2
    assert correlate(now=now, limit=200) == 2  # the next run: they join the incident
    assert Incident.objects.count() == 2
    nodes = Incident.objects.get(site=platform.center)
    assert IncidentAlarm.objects.filter(incident=nodes).count() == 4
    assert nodes.ticket_id is not None
    assert Incident.objects.filter(ticket_id=nodes.ticket_id).count() == 1
