"""An administrator configures a source in the admin and reads what it delivered."""

import pytest

from weibao.alarms.models import Alarm, AlarmSource
from weibao.alarms.normalised import Normalised
from weibao.alarms.services.intake import accept
from weibao.testing.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_admin_creates_a_source_and_reads_its_alarms(admin_client):
    customer = CustomerFactory()
    add = admin_client.get("/admin/alarms/alarmsource/add/")
    assert add.status_code == 200
    response = admin_client.post(
        "/admin/alarms/alarmsource/add/",
        {
            "name": "动环监控平台",
            "slug": "donghuan",
            "kind": "generic",
            "customer": customer.pk,
            "enabled": "on",
            "token": "a-long-random-token",
            "hmac_secret": "",
            "mapping": '{"key": "alarmId", "site": "stationCode"}',
            "resolve_timeout": "00:05:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    source = AlarmSource.objects.get(slug="donghuan")
    assert source.mapping == {"key": "alarmId", "site": "stationCode"}
    accept(source, [Normalised(key="generic:1", name="水浸告警")])
    listing = admin_client.get("/admin/alarms/alarmsource/")
    assert "动环监控平台" in listing.content.decode()
    alarm = Alarm.objects.get()
    page = admin_client.get(f"/admin/alarms/alarm/{alarm.pk}/change/")
    assert page.status_code == 200 and "水浸告警" in page.content.decode()
    # Read-only: a posted change is refused.
    assert (
        admin_client.post(
            f"/admin/alarms/alarm/{alarm.pk}/change/", {"state": "resolved"}
        ).status_code
        == 403
    )
    assert Alarm.objects.get().state == "firing"
