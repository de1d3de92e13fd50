"""Emergency screens: the register, an event, a site's readiness and drills, the poster."""

import datetime as dt

import pytest

from weibao.emergency.models import Drill, EmergencyEvent, SiteReadiness
from weibao.testing.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.inspections.tests.urls")]


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_register_lists_table_17_for_a_customer_user(client, world):
    _login(client, world.user_a)

    page = client.get("/emergency/").content.decode()

    for name in ("病毒攻击", "网络设备故障", "防火墙故障", "电源（UPS）故障"):
        assert name in page
    assert "安装防病毒软件并定期升级" in page


def test_event_page_shows_ranked_alternatives(client, world):
    _login(client, world.provider_user)
    event = EmergencyEvent.objects.get(code="host")

    page = client.get(f"/emergency/events/{event.pk}/").content.decode()

    plans = page[page.index('data-testid="alternatives"') :]
    titles = ["启用双机热备主机中的备用主机", "硬件更换", "应用和数据恢复", "原厂商硬件维修"]
    assert [plans.index(t) for t in titles] == sorted(plans.index(t) for t in titles)


def test_staff_record_readiness_and_a_drill_on_the_site_page(client, world, frozen_clock, manager):
    frozen_clock(dt.datetime(2026, 3, 10, 9, 0))
    _login(client, manager)
    site = world.site_a
    event = EmergencyEvent.objects.get(code="line")

    client.post(
        f"/emergency/sites/{site.pk}/readiness/",
        {"flowchart_posted": "on", "contacts_posted": "on", "ups_minutes": "90"},
    )
    client.post(
        f"/emergency/sites/{site.pk}/drills/",
        {"held_on": "2026-03-05", "event": event.pk, "scenario": "核心光缆中断",
         "participants": "李工程师、孔工", "outcome": "achieved", "follow_ups": "更新联系人"},
    )  # fmt: skip

    readiness = SiteReadiness.objects.get(site=site)
    assert readiness.flowchart_posted and readiness.ups_minutes == 90
    assert Drill.objects.get().event == event
    page = client.get(f"/emergency/sites/{site.pk}/").content.decode()
    assert "核心光缆中断" in page and "UPS 后备 90 分钟" in page


def test_customer_may_read_but_not_write_and_not_see_other_sites(client, world):
    _login(client, world.user_a)

    assert client.get(f"/emergency/sites/{world.site_a.pk}/").status_code == 200
    assert client.get(f"/emergency/sites/{world.site_b.pk}/").status_code == 404
    assert client.get(f"/emergency/sites/{world.site_b.pk}/poster.pdf").status_code == 404
    response = client.post(f"/emergency/sites/{world.site_a.pk}/readiness/", {"hot_standby": "on"})
    assert response.status_code == 403


def test_poster_downloads_as_pdf(client, world):
    _login(client, world.user_a)

    response = client.get(f"/emergency/sites/{world.site_a.pk}/poster.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "emergency-poster-" in response["Content-Disposition"]
