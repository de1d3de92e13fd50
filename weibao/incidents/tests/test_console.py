"""The alarm console over real HTTP: who sees it (the matrix's `alarm.view`, a customer only
their own), its filters and the refresh fragment, the incident page with its alarm timeline and
ticket, source health, the site and asset archive sections, and the API twins."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from weibao.accounts.choices import Role
from weibao.alarms.models import AlarmSource
from weibao.incidents.models import Incident
from weibao.testing import factories as f

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "console-results"}


@pytest.fixture
def storm(platform):
    """Three cameras of the monitoring center down (one incident, one ticket), one end
    office alarm resolved, and another customer's alarm on its own site."""
    for i, camera in enumerate(platform.cameras, start=1):
        platform.send(platform.down(f"cam-{i}", asset=camera, severity="critical"))
    platform.send(platform.down("eo-1", site=platform.office, name="DoorOpen", severity="minor"))
    platform.send(platform.up("eo-1", site=platform.office, name="DoorOpen", severity="minor"))
    platform.correlate()
    other = f.CustomerFactory(name="滨海港务")
    other_site = f.SiteFactory(customer=other, name="港区机房", code="GQ-1")
    source = f.AlarmSourceFactory(customer=other, name="港区平台")
    from weibao.alarms.normalised import Normalised
    from weibao.alarms.services.intake import accept

    accept(source, [Normalised(key="x", name="PowerLoss", site_code=other_site.code)],
           raw={"body": "{}"})  # fmt: skip
    platform.other = other
    return platform


def _get(client, user, url, **extra):
    client.force_login(user)
    return client.get(url, **extra)


def test_staff_see_the_live_console_and_its_filters_keep_on_refresh(client, storm):
    agent = storm.desk.agent
    page = _get(client, agent, "/alarms/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "告警控制台" in text and "DeviceUnreachable" in text and "PowerLoss" in text
    assert 'hx-trigger="every 15s"' in text

    url = f"/alarms/?severity=critical&state=firing&site={storm.center.pk}"
    filtered = _get(client, agent, url, **HTMX)
    body = filtered.content.decode()
    assert "<html" not in body  # the rows fragment only
    assert body.count("<tr>") == 1 + 3  # header + the three cameras
    assert "DoorOpen" not in body and "PowerLoss" not in body
    assert f'hx-get="{url}"'.replace("&", "&amp;") in body  # the refresh keeps the filters
    assert "共 3 条" in body

    resolved = _get(client, agent, "/alarms/?state=resolved", **HTMX).content.decode()
    assert "DoorOpen" in resolved and "DeviceUnreachable" not in resolved
    nonsense = _get(client, agent, "/alarms/?site=abc&customer=99999999999999999999&sort=x")
    assert nonsense.status_code == 200 and "共 5 条" in nonsense.content.decode()


def test_the_console_exports_what_it_shows(client, storm):
    answer = _get(client, storm.desk.agent, "/alarms/?severity=critical&format=xlsx")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "告警名称" and len(rows) == 1 + 3


def test_the_incident_page_shows_its_alarm_timeline_and_ticket(client, storm):
    incident = Incident.objects.get(rule="DeviceUnreachable")
    page = _get(client, storm.desk.engineer, f"/alarms/incidents/{incident.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert incident.ticket.number in text and f"/tickets/{incident.ticket_id}/" in text
    assert text.count("摄像机") >= 3  # each camera's alarm on the timeline
    listing = _get(client, storm.desk.engineer, "/alarms/incidents/?state=open").content.decode()
    assert incident.title in listing and incident.ticket.number in listing


def test_source_health_shows_last_received_rate_and_rejects(client, storm):
    AlarmSource.objects.filter(pk=storm.source.pk).update(rejected=2, last_error="bad token")
    text = _get(client, storm.desk.manager, "/alarms/sources/").content.decode()
    assert storm.source.name in text and "港区平台" in text and "bad token" in text
    api = _get(client, storm.desk.manager, "/api/alarm-sources/").json()
    mine = next(row for row in api if row["id"] == storm.source.pk)
    assert mine["received"] == 5 and mine["rejected"] == 2 and mine["firing"] == 3
    assert mine["rate_per_minute"] == round(5 / 15, 1) and mine["last_received_at"]


def test_a_customer_sees_only_their_own_alarms_and_never_the_sources(client, storm):
    leader = f.CustomerUserFactory(customer=storm.desk.customer, roles=[Role.CUSTOMER_LEADER])
    text = _get(client, leader, "/alarms/").content.decode()
    assert "DeviceUnreachable" in text and "PowerLoss" not in text
    assert _get(client, leader, "/alarms/sources/").status_code == 403
    assert _get(client, leader, "/api/alarm-sources/").status_code == 403
    rows = _get(client, leader, "/api/alarms/").json()["results"]
    assert {r["name"] for r in rows} == {"DeviceUnreachable", "DoorOpen"}

    stranger = f.CustomerUserFactory(customer=storm.other, roles=[Role.CUSTOMER_LEADER])
    incident = Incident.objects.get(rule="DeviceUnreachable")
    assert _get(client, stranger, f"/alarms/incidents/{incident.pk}/").status_code == 404
    assert _get(client, stranger, f"/api/incidents/{incident.pk}/").status_code == 404
    assert "DeviceUnreachable" not in _get(client, stranger, "/alarms/").content.decode()


def test_roles_without_alarm_view_are_refused(client, storm):
    staff = f.CustomerUserFactory(customer=storm.desk.customer, roles=[Role.CUSTOMER_STAFF])
    keeper = f.UserFactory(provider=storm.desk.agent.provider, roles=[Role.SPARE_KEEPER])
    for user in (staff, keeper):
        assert _get(client, user, "/alarms/").status_code == 403
        answer = _get(client, user, "/api/alarms/")
        assert answer.status_code == 403 and "alarm.view" in answer.json()["message"]
    home = _get(client, keeper, "/").content.decode()
    assert "告警控制台" not in home
    assert "告警控制台" in _get(client, storm.desk.engineer, "/").content.decode()


def test_the_api_lists_filters_and_exports_like_the_pages(client, storm):
    client.force_login(storm.desk.agent)
    rows = client.get("/api/alarms/", {"severity": "critical", "site": storm.center.pk}).json()
    assert rows["count"] == 3
    assert client.get("/api/alarms/", {"site": "9" * 30}).json()["count"] == 5
    incident = Incident.objects.get(rule="DeviceUnreachable")
    listed = client.get("/api/incidents/", {"state": "open", "site": storm.center.pk}).json()
    assert [r["id"] for r in listed["results"]] == [incident.pk]
    assert len(client.get(f"/api/incidents/{incident.pk}/").json()["alarms"]) == 3
    export = client.get("/api/alarms/export/", {"state": "firing", "sort": "-severity"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet.max_row == 1 + 4  # three cameras and the other customer's power loss
    export = client.get("/api/incidents/export/", {"state": "open"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet.max_row == 1 + Incident.objects.filter(state="open").count()


def test_site_and_asset_archives_show_their_recent_alarms(client, storm):
    camera = storm.cameras[0]
    site = _get(client, storm.desk.agent, f"/alarms/site/{storm.center.pk}/").content.decode()
    assert "DeviceUnreachable" in site and "DoorOpen" in site  # the end office is below it
    asset = _get(client, storm.desk.agent, f"/alarms/asset/{camera.pk}/").content.decode()
    assert "DeviceUnreachable" in asset and "DoorOpen" not in asset
    page = _get(client, storm.desk.agent, f"/sites/{storm.center.pk}/").content.decode()
    assert f"/alarms/site/{storm.center.pk}/" in page


def test_staff_link_an_incident_to_a_ticket_from_its_page(client, storm):
    incident = Incident.objects.get(rule="DeviceUnreachable")
    opened_by_alarm = incident.ticket
    called = storm.desk.open(level="L2")
    client.force_login(storm.desk.agent)
    page = client.get(f"/alarms/incidents/{incident.pk}/").content.decode()
    assert "关联到已有工单" in page

    wrong = client.post(f"/alarms/incidents/{incident.pk}/link/", {"ticket": "NO-SUCH"})
    assert wrong.status_code == 400 and "没有这张工单。" in wrong.content.decode()
    incident.refresh_from_db()
    assert incident.ticket_id == opened_by_alarm.pk

    done = client.post(f"/alarms/incidents/{incident.pk}/link/", {"ticket": called.number})
    assert done.status_code == 302
    incident.refresh_from_db()
    assert incident.ticket_id == called.pk

    leader = f.CustomerUserFactory(customer=storm.desk.customer, roles=[Role.CUSTOMER_LEADER])
    client.force_login(leader)
    assert "关联到已有工单" not in client.get(f"/alarms/incidents/{incident.pk}/").content.decode()
    refused = client.post(f"/alarms/incidents/{incident.pk}/split/")
    assert refused.status_code == 403
