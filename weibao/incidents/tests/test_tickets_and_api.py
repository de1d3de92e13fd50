"""An incident's ticket by people and by contract (ALM-3): link to an existing ticket, split
off, automatic L3 resolution; the API's scoping, windows and dry run."""

from __future__ import annotations

import datetime as dt

from weibao.core import clock
from weibao.incidents.models import AlarmTerms, Incident, MaintenanceWindow
from weibao.testing import factories as f
from weibao.tickets.choices import Stage
from weibao.tickets.models import Ticket


def test_the_ticket_names_the_device_when_the_incident_is_about_one(platform):
    first, second, third = platform.cameras[:3]
    platform.send(
        platform.down("cam-1", asset=first, name="VideoLoss"),
        platform.down("cam-1-again", asset=first, name="VideoLoss"),  # one device, two alarms
    )
    platform.correlate()
    assert Incident.objects.get(rule="VideoLoss").ticket.asset == first

    platform.send(
        platform.down("cam-2", asset=second, name="LensBlocked"),
        platform.down("cam-3", asset=third, name="LensBlocked"),
    )
    platform.correlate()
    assert Incident.objects.get(rule="LensBlocked").ticket.asset is None  # two devices


def test_recovery_resolves_an_l3_ticket_where_the_contract_says_so(platform):
    AlarmTerms.objects.create(contract=platform.desk.contract, auto_resolve_l3=True)
    camera = platform.cameras[0]
    platform.send(platform.down("cam-1", asset=camera))
    platform.correlate()
    platform.send(platform.up("cam-1", asset=camera))
    platform.correlate()

    ticket = Ticket.objects.get()
    assert ticket.stage == Stage.RESOLVED and ticket.cause.code == "alarm_recovered"


def test_without_the_term_an_l3_ticket_waits_for_people(platform):
    camera = platform.cameras[0]
    platform.send(platform.down("cam-1", asset=camera))
    platform.correlate()
    platform.send(platform.up("cam-1", asset=camera))
    platform.correlate()
    assert Ticket.objects.get().stage == Stage.NEW


def test_staff_link_an_incident_to_a_phoned_in_ticket_and_split_it_off_again(platform, api):
    desk = platform.desk
    phoned = desk.open(level="L2")
    platform.send(platform.down("cam-1", asset=platform.cameras[0]))
    platform.send(platform.down("eo-1", site=platform.office, name="SiteUnreachable"))
    platform.correlate()
    camera, office = Incident.objects.order_by("id")
    api.force_authenticate(desk.agent)

    for incident in (camera, office):
        answer = api.post(f"/api/incidents/{incident.pk}/link/", {"ticket": phoned.pk}, "json")
        assert answer.status_code == 200, answer.json()
        assert answer.json()["ticket"] == phoned.pk
        assert answer.json()["suppression"] is None  # not suppressed: null, as in the lists

    answer = api.post(f"/api/incidents/{office.pk}/split/")
    assert answer.status_code == 200
    office.refresh_from_db()
    assert office.ticket != phoned and office.ticket.level == "L2"
    assert Incident.objects.get(pk=camera.pk).ticket == phoned

    again = api.post(f"/api/incidents/{office.pk}/split/")
    assert again.status_code == 400 and again.json()["code"] == "nothing_to_split"


def test_a_customer_sees_only_their_incidents_and_cannot_link(platform, api):
    platform.send(platform.down("cam-1", asset=platform.cameras[0]))
    platform.correlate()
    incident = Incident.objects.get()
    stranger = f.CustomerUserFactory(username="other-staff")
    own = f.CustomerUserFactory(customer=platform.desk.customer, username="own-staff")

    api.force_authenticate(stranger)
    assert api.post(f"/api/incidents/{incident.pk}/split/").status_code == 404
    api.force_authenticate(own)
    answer = api.post(f"/api/incidents/{incident.pk}/link/", {"ticket": incident.ticket_id})
    assert answer.status_code == 403


def test_windows_by_api_with_the_ones_in_force_and_bad_input_refused(platform, api):
    api.force_authenticate(platform.desk.manager)
    now = clock.now()
    bad = api.post(
        "/api/maintenance-windows/",
        {
            "site": platform.center.pk,
            "starts_at": now.isoformat(),
            "ends_at": (now - dt.timedelta(hours=1)).isoformat(),
            "reason": "割接",
        },
        "json",
    )
    assert bad.status_code == 400 and "ends_at" in bad.json()["fields"]
    assert MaintenanceWindow.objects.count() == 0

    made = api.post(
        "/api/maintenance-windows/",
        {
            "site": platform.center.pk,
            "starts_at": now.isoformat(),
            "ends_at": (now + dt.timedelta(hours=2)).isoformat(),
            "reason": "割接",
        },
        "json",
    )
    assert made.status_code == 201, made.json()
    force = api.get("/api/maintenance-windows/in-force/", {"site": platform.office.pk})
    assert [w["origin"] for w in force.json()] == ["manual"]  # a center's window covers below

    ended = api.post(f"/api/maintenance-windows/{made.json()['id']}/end/")
    assert ended.status_code == 200
    assert api.get("/api/maintenance-windows/in-force/",
                   {"site": platform.center.pk}).json() == []  # fmt: skip

    api.force_authenticate(platform.desk.agent)
    refused = api.post(
        "/api/maintenance-windows/",
        {
            "site": platform.center.pk,
            "starts_at": now.isoformat(),
            "ends_at": (now + dt.timedelta(hours=2)).isoformat(),
            "reason": "割接",
        },
        "json",
    )
    assert refused.status_code == 403


def test_rules_are_edited_by_administrators_and_dry_run_by_api(platform, api):
    platform.send(platform.down("eo-1", site=platform.office, name="SiteUnreachable"))
    admin = f.UserFactory(username="rules-admin", is_superuser=True, is_staff=True,
                          provider=platform.desk.customer.provider)  # fmt: skip
    api.force_authenticate(platform.desk.agent)
    assert api.get("/api/incident-rules/dry-run/").status_code == 403
    rule = api.get("/api/incident-rules/").json()[1]
    assert api.patch(f"/api/incident-rules/{rule['id']}/", {"level": "L1"}).status_code == 403

    api.force_authenticate(admin)
    answer = api.get("/api/incident-rules/dry-run/")
    assert answer.status_code == 200 and answer.json()["tickets"]["L2"] == 1
    assert api.patch(f"/api/incident-rules/{rule['id']}/", {"level": "L1"}).status_code == 200
    alone = api.get(f"/api/incident-rules/{rule['id']}/dry-run/").json()
    assert alone["tickets"]["L1"] == 1
    wrong = api.patch(f"/api/incident-rules/{rule['id']}/", {"level": ""})
    assert wrong.status_code == 400 and "level" in wrong.json()["fields"]


def test_the_recovery_on_the_ticket_reads_in_english_too(platform):
    from django.utils import translation

    from weibao.core.models import ChangeLog

    camera = platform.cameras[0]
    platform.send(platform.down("cam-1", asset=camera))
    platform.correlate()
    platform.send(platform.up("cam-1", asset=camera))
    platform.correlate()

    from django.contrib.contenttypes.models import ContentType

    row = ChangeLog.objects.get(
        kind="incident.recovered",
        object_id=str(Ticket.objects.get().pk),
        content_type=ContentType.objects.get_for_model(Ticket),
    )
    with translation.override("en"):
        assert row.text.startswith("Incident #") and "all 1 alarms recovered" in row.text
