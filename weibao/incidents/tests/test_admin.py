"""The administration of incidents: the rules' dry run as an admin action, and a window set
by hand refused field by field when it is wrong."""

from __future__ import annotations

import datetime as dt

from django.contrib.messages import get_messages

from weibao.core import clock
from weibao.incidents.models import ClassificationRule, MaintenanceWindow
from weibao.incidents.services import manage
from weibao.testing import factories as f


def _admin(platform):
    return f.UserFactory(username="rules-admin", is_superuser=True, is_staff=True,
                         provider=platform.desk.customer.provider)  # fmt: skip


def test_the_admin_dry_runs_the_selected_rules(platform, client):
    platform.send(platform.down("eo-1", site=platform.office, name="SiteUnreachable"))
    client.force_login(_admin(platform))
    rule = ClassificationRule.objects.get(condition="end_offices_cut_off")

    answer = client.post("/admin/incidents/classificationrule/",
                         {"action": "dry_run", "_selected_action": [rule.pk]})  # fmt: skip

    assert answer.status_code == 302
    texts = [str(m) for m in get_messages(answer.wsgi_request)]
    assert any(t.startswith(rule.name) and "1 L2" in t for t in texts)


def test_the_admin_dry_run_tells_what_a_maintenance_window_held(platform, client):
    now = clock.now()
    manage.set_window(site=platform.office, starts_at=now - dt.timedelta(hours=1),
                      ends_at=now + dt.timedelta(hours=1), reason="端局割接",
                      actor=platform.desk.manager)  # fmt: skip
    platform.send(platform.down("eo-1", site=platform.office, name="SiteUnreachable"))
    client.force_login(_admin(platform))
    rule = ClassificationRule.objects.get(condition="end_offices_cut_off")

    answer = client.post("/admin/incidents/classificationrule/",
                         {"action": "dry_run", "_selected_action": [rule.pk]})  # fmt: skip

    (text,) = [str(m) for m in get_messages(answer.wsgi_request) if str(m).startswith(rule.name)]
    assert "L2" not in text and "维护窗口内不开单：1 个" in text


def test_a_window_ending_before_it_starts_is_refused_in_the_admin(platform, client):
    client.force_login(_admin(platform))
    now = clock.now()
    answer = client.post("/admin/incidents/maintenancewindow/add/", {
        "site": platform.center.pk, "reason": "割接",
        "starts_at_0": f"{now:%Y-%m-%d}", "starts_at_1": "12:00",
        "ends_at_0": f"{now - dt.timedelta(days=1):%Y-%m-%d}", "ends_at_1": "12:00",
    })  # fmt: skip

    assert answer.status_code == 200 and "结束时间必须晚于开始时间" in answer.content.decode()
    assert MaintenanceWindow.objects.count() == 0
