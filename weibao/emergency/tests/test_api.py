"""The emergency API (issue 10 #7): the register, drills and a site's readiness, through the
same services as the screens; only holders of `emergency_plan.edit` write (PRM-1)."""

import datetime as dt

import pytest

from weibao.accounts.choices import Role
from weibao.emergency.models import Drill, EmergencyEvent, SiteReadiness
from weibao.testing import factories as f
from weibao.testing.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.inspections.tests.urls")]


def test_register_lists_table_17_with_ranked_alternatives(api, world):
    api.force_authenticate(world.user_a)

    events = api.get("/api/emergency-events/").json()

    host = next(e for e in events if e["code"] == "host")
    assert len(events) >= 10
    assert [a["rank"] for a in host["alternatives"]] == sorted(
        a["rank"] for a in host["alternatives"]
    )


def test_manager_records_a_drill_and_closes_its_follow_ups(api, world, manager, frozen_clock):
    frozen_clock(dt.datetime(2026, 3, 10, 9, 0))
    api.force_authenticate(manager)
    event = EmergencyEvent.objects.get(code="line")

    created = api.post(
        "/api/emergency-drills/",
        {"site": world.site_a.pk, "held_on": "2026-03-05", "event": event.pk,
         "scenario": "核心光缆中断", "participants": "李工程师、孔工", "outcome": "achieved",
         "follow_ups": "更新联系人"},
        format="json",
    )  # fmt: skip
    drill = created.json()
    closed = api.post(f"/api/emergency-drills/{drill['id']}/close-follow-ups/", {}, format="json")
    again = api.post(f"/api/emergency-drills/{drill['id']}/close-follow-ups/", {}, format="json")

    assert created.status_code == 201 and drill["customer"] == world.customer_a.pk
    assert closed.json()["follow_ups_done"] is True
    assert again.status_code == 400 and again.json()["code"] == "already_done"


def test_future_drill_is_refused_at_its_field(api, world, manager, frozen_clock):
    frozen_clock(dt.datetime(2026, 3, 10, 9, 0))
    api.force_authenticate(manager)

    response = api.post(
        "/api/emergency-drills/",
        {"site": world.site_a.pk, "held_on": "2026-04-05", "scenario": "断电",
         "participants": "值班员", "outcome": "achieved"},
        format="json",
    )  # fmt: skip

    assert response.status_code == 400 and response.json()["fields"]["held_on"]
    assert not Drill.objects.exists()


def test_readiness_reads_and_updates_through_the_service(api, world, manager):
    api.force_authenticate(manager)

    before = api.get(f"/api/emergency-readiness/{world.site_a.pk}/").json()
    after = api.patch(
        f"/api/emergency-readiness/{world.site_a.pk}/",
        {"ups_minutes": 90, "dual_power_feed": True},
        format="json",
    )

    assert before["record"] is None and before["items"]
    assert after.status_code == 200 and after.json()["record"]["ups_minutes"] == 90
    assert SiteReadiness.objects.get(site=world.site_a).checked_by == manager


@pytest.mark.parametrize("role", [Role.ENGINEER, Role.SUPPORT_AGENT, Role.ACCOUNT_MANAGER])
def test_roles_without_the_capability_get_403_via_api_and_web(
    api, client, world, role, frozen_clock
):
    frozen_clock(dt.datetime(2026, 3, 10, 9, 0))
    user = f.UserFactory(provider=world.provider_user.provider, roles=[role])
    drill = {"site": world.site_a.pk, "held_on": "2026-03-05", "scenario": "断电",
             "participants": "值班员", "outcome": "achieved"}  # fmt: skip
    api.force_authenticate(user)
    client.login(username=user.username, password=PASSWORD)

    api_drill = api.post("/api/emergency-drills/", drill, format="json")
    api_ready = api.patch(
        f"/api/emergency-readiness/{world.site_a.pk}/", {"hot_standby": True}, format="json"
    )
    web_drill = client.post(f"/emergency/sites/{world.site_a.pk}/drills/", drill)
    web_ready = client.post(f"/emergency/sites/{world.site_a.pk}/readiness/", {"hot_standby": "on"})

    assert (api_drill.status_code, api_ready.status_code) == (403, 403)
    assert api_drill.json()["capability"] == "emergency_plan.edit"
    assert (web_drill.status_code, web_ready.status_code) == (403, 403)
    assert not Drill.objects.exists() and not SiteReadiness.objects.exists()


def test_a_refused_drill_form_keeps_what_was_typed(client, world, manager, frozen_clock):
    frozen_clock(dt.datetime(2026, 3, 10, 9, 0))
    client.login(username=manager.username, password=PASSWORD)

    response = client.post(
        f"/emergency/sites/{world.site_a.pk}/drills/",
        {"held_on": "2026-04-05", "scenario": "核心光缆中断，切换备用路由",
         "participants": "李工程师、孔工", "outcome": "achieved"},
    )  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 400
    assert "核心光缆中断，切换备用路由" in page and "演练日期不能晚于今天" in page
    assert not Drill.objects.exists()
