"""FLT-2 as rules (ALM-3): the pure classifier over facts, the seeded rules over a site's
inventory, and the dry run over the last 7 days."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from weibao.core import clock
from weibao.incidents import selectors
from weibao.incidents.models import ClassificationRule, Incident
from weibao.incidents.rules import Device, DownAlarm, Facts, Rule, classify
from weibao.incidents.services import manage
from weibao.tickets.models import Ticket

CENTER = Rule(1, "全部前端不通", "all_front_end_down", "L1", 10, ("monitoring_center",),
              ("camera",), inhibits=True)  # fmt: skip
CAMERA = Rule(3, "摄像机故障", "device_category", "L3", 30, (), ("camera",))
OWN_LEVEL = Rule(4, "告警自带级别", "alarm_level", "", 40)
ANY = Rule(5, "其他", "any", "L3", 90)
RULES = [CENTER, CAMERA, OWN_LEVEL, ANY]
CAMERAS = (Device(1, 10, "camera"), Device(2, 10, "camera"))


@pytest.mark.parametrize(
    ("alarms", "level", "rule"),
    [
        ((DownAlarm(10, 1, "Down"),), "L3", CAMERA),
        ((DownAlarm(10, 1, "Down"), DownAlarm(10, 2, "Down")), "L1", CENTER),
        ((DownAlarm(10, 1, "Down", mine=False), DownAlarm(10, 2, "Down")), "L1", CENTER),
        # the alarm's own level is a default: the inventory rule wins
        ((DownAlarm(10, 1, "Down", level="L1", category="camera"),), "L3", CAMERA),
        ((DownAlarm(10, None, "Power", level="L2"),), "L2", OWN_LEVEL),
        ((DownAlarm(10, None, "Power"),), "L3", ANY),
    ],
)
def test_the_most_severe_inventory_rule_wins_and_alarm_levels_are_defaults(alarms, level, rule):
    facts = Facts("monitoring_center", {10: "monitoring_center"}, CAMERAS,
                  tuple(a if a.category or a.asset_id is None else
                        DownAlarm(a.site_id, a.asset_id, a.name, a.level, "camera", a.mine)
                        for a in alarms))  # fmt: skip
    verdict = classify(RULES, facts)
    assert (verdict.level, verdict.rule) == (level, rule)


def test_an_end_office_cut_off_from_the_center_is_l2(platform):
    platform.send(platform.down("eo-1", site=platform.office, name="SiteUnreachable"))
    platform.correlate()

    incident = Incident.objects.get()
    assert incident.level == "L2" and incident.classification.condition == "end_offices_cut_off"
    assert incident.ticket.level == "L2"


def test_a_b_interface_level_applies_when_no_inventory_rule_matches(platform):
    platform.send(platform.down("power-1", name="市电停电", level="L2"))
    platform.correlate()
    assert Ticket.objects.get().level == "L2"


def test_an_alarm_of_level_4_under_a_three_level_contract_opens_an_l3_ticket_saying_so(platform):
    """Refused, it would fail its correlation run on every round, the storm behind it with it."""
    from weibao.alarms.models import AlarmChange
    from weibao.core.models import ChangeLog

    assert platform.desk.contract.policy.level_scheme == 3
    platform.send(platform.down("door-1", name="门禁告警", level="L4"))
    platform.send(platform.down("cam-1", asset=platform.cameras[0]))  # in the same run
    platform.correlate()

    assert not AlarmChange.objects.filter(processed_at__isnull=True).exists()
    ticket = Ticket.objects.get(fault_phenomenon__contains="门禁告警")
    assert ticket.level == "L3" and Incident.objects.get(ticket=ticket).level == "L4"
    opened = ChangeLog.objects.get(object_id=str(ticket.pk), kind="ticket.opened")
    assert "四级按三级受理" in opened.text
    assert Ticket.objects.count() == 2


def test_an_edited_rule_changes_the_level_of_the_next_incident(platform):
    ClassificationRule.objects.filter(condition="device_category",
                                      categories=["camera"]).update(level="L2")  # fmt: skip
    platform.send(platform.down("cam-1", asset=platform.cameras[0]))
    platform.correlate()
    assert Ticket.objects.get().level == "L2"


def test_the_dry_run_counts_the_tickets_each_level_would_have_opened(platform, frozen_clock):
    # three days ago: all three cameras down (one L1); yesterday: the end office (one L2);
    # today: one camera twice, an hour apart (two L3)
    start = clock.now()
    frozen_clock(start - dt.timedelta(days=3))
    platform.send(*[platform.down(f"cam-{a.pk}", asset=a) for a in platform.cameras])
    platform.send(*[platform.up(f"cam-{a.pk}", asset=a) for a in platform.cameras])
    frozen_clock(start - dt.timedelta(days=1))
    platform.send(platform.down("eo-1", site=platform.office, name="SiteUnreachable"))
    frozen_clock(start - dt.timedelta(hours=2))
    platform.send(platform.down("cam-x", asset=platform.cameras[0], name="VideoLoss"))
    platform.send(platform.up("cam-x", asset=platform.cameras[0], name="VideoLoss"))
    frozen_clock(start)
    platform.send(platform.down("cam-x", asset=platform.cameras[0], name="VideoLoss"))

    admin = _admin(platform)
    run = selectors.dry_run(admin)

    assert run["tickets"] == {"L1": 1, "L2": 1, "L3": 2, "L4": 0}
    assert "1 L1" in run["summary"] and "1 L2" in run["summary"]
    assert Incident.objects.count() == 0  # a dry run writes nothing

    camera_rule = ClassificationRule.objects.get(name="摄像机故障")
    alone = selectors.dry_run(admin, rule=camera_rule)
    assert alone["tickets"]["L3"] == 3 and alone["tickets"]["L1"] == 0


def test_the_dry_run_counts_apart_what_windows_and_inhibition_held_as_correlation_did(
    platform, frozen_clock, api
):
    """Three days ago the end office is cut off during its maintenance window (held); two
    days ago every camera is down (L1, inhibiting) and a camera's video is lost a minute
    later (inhibited); yesterday one camera fails (L3). Correlation opened two tickets: the
    dry run says so, and counts the two held incidents apart."""
    start = clock.now()
    manager = platform.desk.manager
    at = frozen_clock(start - dt.timedelta(days=3))
    hour = dt.timedelta(hours=1)
    manage.set_window(site=platform.office, starts_at=at - hour, ends_at=at + hour,
                      reason="端局割接", actor=manager)  # fmt: skip
    platform.send(platform.down("eo-1", site=platform.office, name="SiteUnreachable"))
    platform.correlate()
    frozen_clock(at + dt.timedelta(hours=2))
    platform.send(platform.up("eo-1", site=platform.office, name="SiteUnreachable"))
    platform.correlate()

    at = frozen_clock(start - dt.timedelta(days=2))
    platform.send(*[platform.down(f"cam-{a.pk}", asset=a) for a in platform.cameras])
    platform.correlate()
    frozen_clock(at + dt.timedelta(minutes=1))
    platform.send(platform.down("video-1", asset=platform.cameras[0], name="VideoLoss"))
    platform.correlate()
    frozen_clock(at + dt.timedelta(hours=2))
    platform.send(*[platform.up(f"cam-{a.pk}", asset=a) for a in platform.cameras])
    platform.send(platform.up("video-1", asset=platform.cameras[0], name="VideoLoss"))
    platform.correlate()

    frozen_clock(start - dt.timedelta(days=1))
    platform.send(platform.down("cam-fault", asset=platform.cameras[1], name="CameraFault"))
    platform.correlate()
    frozen_clock(start)

    real = Counter(Ticket.objects.values_list("level", flat=True))
    suppressed = Counter(Incident.objects.exclude(suppression="")
                         .values_list("suppression", flat=True))  # fmt: skip
    assert real == {"L1": 1, "L3": 1} and suppressed == {"maintenance": 1, "inhibited": 1}

    admin = _admin(platform)
    run = selectors.dry_run(admin)
    assert run["tickets"] == {"L1": 1, "L2": 0, "L3": 1, "L4": 0}
    assert run["held"] == {"maintenance": 1, "inhibited": 1}
    assert "维护窗口内不开单：1 个" in run["summary"]
    assert "被上级事件抑制不开单：1 个" in run["summary"]
    cut_off = ClassificationRule.objects.get(condition="end_offices_cut_off")
    (rule,) = [r for r in run["rules"] if r["id"] == cut_off.pk]
    assert rule["held"]["maintenance"] == 1 and rule["tickets"] == {}

    api.force_authenticate(admin)
    answer = api.get("/api/incident-rules/dry-run/").json()
    assert answer["tickets"]["L2"] == 0 and answer["held"] == {"maintenance": 1, "inhibited": 1}


def _admin(platform):
    from weibao.testing import factories as f

    return f.UserFactory(username="rules-admin", is_superuser=True, is_staff=True,
                         provider=platform.desk.customer.provider)  # fmt: skip
