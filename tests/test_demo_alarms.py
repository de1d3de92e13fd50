"""`weibao demo`'s monitoring platform: its storm — every front-end device of the monitoring
center unreachable — became one level-1 incident with one ticket (channel 告警) on the emergency
path, the console shows it, and a second run adds nothing."""

import io

import pytest
from django.core.management import call_command

from weibao.accounts.models import User
from weibao.alarms.models import Alarm, AlarmChange, AlarmSource
from weibao.assets.models import Asset
from weibao.incidents.facts import subtree
from weibao.incidents.models import Incident
from weibao.incidents.seed import FRONT_END
from weibao.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (AlarmSource, Alarm, AlarmChange, Incident, Ticket)]


def test_the_demo_storm_is_one_incident_with_one_ticket(client):
    call_command("demo", stdout=io.StringIO())
    source = AlarmSource.objects.get(customer__code="huadong")
    assert source.received == 5 and source.rejected == 0  # the storm and four door messages
    storm = Incident.objects.get(rule="前端设备通信中断")
    below = subtree(storm.site_id)  # the center and every site under it
    front_ends = Asset.objects.filter(site_id__in=below, category__code__in=FRONT_END).count()
    assert front_ends >= 200
    assert storm.alarm_count == storm.firing_count == front_ends and storm.is_open
    assert storm.level == "L1"  # FLT-2: every front-end device of the center unreachable
    assert (storm.ticket.level, storm.ticket.stage) == ("L1", "emergency")
    assert Ticket.objects.filter(channel="alarm").count() == 1
    assert storm.ticket.channel == "alarm" and storm.ticket.is_open
    assert not AlarmChange.objects.filter(processed_at__isnull=True).exists()

    client.force_login(User.objects.get(username="agent"))
    page = client.get("/alarms/incidents/?state=open").content.decode()
    assert storm.title in page and storm.ticket.number in page

    before = _counts()
    call_command("demo", stdout=io.StringIO())
    assert _counts() == before
