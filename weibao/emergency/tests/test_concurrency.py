"""A site's readiness checked by two people: the later save from an older page is refused
with the other person's values ("已被他人修改"), on the site page and through the API (412)."""

import re

import pytest

from weibao.emergency.models import SiteReadiness

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.inspections.tests.urls")]


def _version(page) -> str:
    return re.search(r'name="_version" value="([0-9a-f]+)"', page.content.decode()).group(1)


def test_a_stale_readiness_save_is_refused_with_the_other_persons_values(client, world, manager):
    site = world.site_a
    url = f"/emergency/sites/{site.pk}/readiness/"
    client.force_login(manager)
    assert client.post(url, {"ups_minutes": "60"}).status_code == 302
    version = _version(client.get(f"/emergency/sites/{site.pk}/"))

    fresh = client.post(url, {"ups_minutes": "90", "_version": version})
    stale = client.post(url, {"ups_minutes": "30", "hot_standby": "on", "_version": version})

    assert fresh.status_code == 302
    assert stale.status_code == 409
    text = stale.content.decode()
    assert "已被他人修改" in text
    assert re.search(r'data-field="ups_minutes"><td>[^<]*</td><td>90<', text)
    assert 'value="30"' in text  # what was typed is kept
    record = SiteReadiness.objects.get(site=site)
    assert (record.ups_minutes, record.hot_standby) == (90, False)


def test_a_stale_readiness_patch_answers_412_and_changes_nothing(api, world, manager):
    url = f"/api/emergency-readiness/{world.site_a.pk}/"
    api.force_authenticate(manager)
    assert api.patch(url, {"ups_minutes": 60}, format="json").status_code == 200
    read = api.get(url)

    fresh = api.patch(url, {"ups_minutes": 90}, format="json", HTTP_IF_MATCH=read["ETag"])
    stale = api.patch(url, {"ups_minutes": 30}, format="json", HTTP_IF_MATCH=read["ETag"])

    assert fresh.status_code == 200 and fresh["ETag"] != read["ETag"]
    assert (stale.status_code, stale.json()["code"]) == (412, "stale")
    assert SiteReadiness.objects.get(site=world.site_a).ups_minutes == 90
    current = api.patch(url, {"ups_minutes": 45}, format="json", HTTP_IF_MATCH=fresh["ETag"])
    assert current.status_code == 200 and current.json()["record"]["ups_minutes"] == 45
