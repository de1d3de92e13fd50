"""An incident's recovery on its ticket's timeline: the customer reads that the alarms
recovered, in plain words; the provider's staff read the incident, its rule and counts."""

from __future__ import annotations

from django.utils import translation

from weibao.incidents.models import Incident
from weibao.testing import factories as f
from weibao.tickets.selectors import timeline


def test_the_customer_reads_the_recovery_without_the_incidents_inside(platform):
    camera = platform.cameras[0]
    platform.send(platform.down("cam-1", asset=camera))
    platform.correlate()
    platform.send(platform.up("cam-1", asset=camera))
    platform.correlate()
    incident = Incident.objects.get()
    customer = f.CustomerUserFactory(customer=platform.desk.customer, username="duty-officer")

    told = [entry.text for entry in timeline(incident.ticket, customer)]
    assert "告警已全部恢复" in told
    assert not any(f"#{incident.pk}" in text or incident.rule in text for text in told)
    with translation.override("en"):
        assert "All alarms have recovered" in [e.text for e in timeline(incident.ticket, customer)]

    staff = [entry.text for entry in timeline(incident.ticket, platform.desk.agent)]
    assert any(text.startswith(f"告警事件 #{incident.pk} 已恢复") for text in staff)
    assert "告警已全部恢复" not in staff
