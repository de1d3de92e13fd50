"""L1 from the moment of judgement (ESC-2, FLT-4): upgrade, downgrade, reclassify."""

import datetime as dt

import pytest

from weibao.core import clock
from weibao.core.models import ChangeLog
from weibao.escalations.runner import tick
from weibao.tickets import services
from weibao.tickets.models import ResolutionCause

pytestmark = pytest.mark.django_db

M = dt.timedelta(minutes=1)


def test_upgrade_to_l1_at_40_minutes_counts_the_actions_from_the_upgrade(desk, frozen_clock):
    # given an L3 ticket reported 40 minutes ago
    ticket = desk.open(level="L3")
    services.move(ticket, "start_phone", actor=desk.engineer)
    frozen_clock(clock.now() + 40 * M)
    upgraded_at = clock.now()
    # when the agent judges it L1
    ticket = services.change_level(ticket, level="L1", reason="全部前端不通", actor=desk.agent)
    # then the emergency actions are due from the upgrade, none overdue at once
    assert (ticket.stage, ticket.judged_l1_at) == ("emergency", upgraded_at)
    due = dict(ticket.emergency_actions.values_list("code", "due_at"))
    assert due["notify_leadership"] == upgraded_at + 15 * M
    assert due["form_emergency_team"] == upgraded_at + 30 * M
    assert due["expert_remote"] == upgraded_at + 60 * M
    assert due["form_expert_team"] == upgraded_at + 120 * M
    assert tick().actions == 1  # only "dispatch immediately" (0 min) is due now
    assert (
        not ticket.emergency_actions.filter(overdue_at__isnull=False)
        .exclude(code="dispatch_engineer")
        .exists()
    )
    kinds = set(ChangeLog.objects.filter(object_id=str(ticket.pk)).values_list("kind", flat=True))
    assert {"ticket.level", "ticket.emergency_entered"} <= kinds


def test_l1_at_intake_counts_from_the_intake(desk):
    ticket = desk.open(level="L1", minutes_ago=5)
    assert ticket.judged_l1_at == ticket.reported_at
    action = ticket.emergency_actions.get(code="notify_leadership")
    assert action.due_at == ticket.reported_at + 15 * M


def test_downgrade_from_l1_leaves_the_emergency_path(desk, frozen_clock):
    # given an L1 ticket, one emergency action done
    from weibao.escalations import services as escalations

    ticket = desk.open(level="L1")
    escalations.complete_action(ticket, "notify_leadership", actor=desk.agent, note="已通知")
    frozen_clock(clock.now() + 10 * M)
    # when it is downgraded to L2
    ticket = services.change_level(ticket, level="L2", reason="仅部分端局中断", actor=desk.agent)
    # then it continues on site in the normal flow (L2 gets on-site support)
    assert ticket.stage == "onsite_support"
    actions = {a.code: a for a in ticket.emergency_actions.all()}
    assert actions["notify_leadership"].done_at is not None
    assert actions["notify_leadership"].waived_reason == ""
    pending = [a for a in actions.values() if a.done_at is None]
    assert pending and all(a.waived_reason == "降级" for a in pending)
    # no overdue notices follow, and it can close without the L1 aftercare
    frozen_clock(clock.now() + 5 * dt.timedelta(hours=1))
    assert tick().actions == 0
    services.resolve(ticket, cause=ResolutionCause.objects.get(code="power"), fix="恢复供电",
                     actor=desk.engineer)  # fmt: skip
    services.record_callback(ticket, satisfied=True, score=5, actor=desk.agent)
    ticket.refresh_from_db()
    assert ticket.stage == "closed"
    kinds = list(ChangeLog.objects.filter(object_id=str(ticket.pk)).values_list("kind", flat=True))
    assert "ticket.emergency_left" in kinds


def test_downgrade_to_l3_without_onsite_cover_goes_back_to_phone_support(desk):
    from weibao.contracts.policy import default_policy
    from weibao.contracts.services import write_policy

    policy = default_policy()
    write_policy(desk.contract, type(policy)(**{**policy.__dict__, "onsite_for_l3": False}))
    ticket = desk.open(level="L1")
    ticket = services.change_level(ticket, level="L3", reason="误判", actor=desk.agent)
    assert ticket.stage == "phone_support"


def test_upgrade_again_after_a_downgrade_rearms_the_actions_from_the_new_judgement(
    desk, frozen_clock
):
    ticket = desk.open(level="L1")
    services.change_level(ticket, level="L2", reason="误判", actor=desk.agent)
    frozen_clock(clock.now() + 20 * M)
    again = clock.now()
    ticket = services.change_level(ticket, level="L1", reason="再次全网中断", actor=desk.agent)
    action = ticket.emergency_actions.get(code="form_emergency_team")
    assert (action.waived_reason, action.due_at) == ("", again + 30 * M)
    assert ticket.stage == "emergency"


def test_reclassify_a_resolved_ticket_keeps_its_clocks(api, client, desk):
    ticket = desk.open(level="L2")
    services.move(ticket, "start_phone", actor=desk.engineer)
    services.resolve(ticket, cause=ResolutionCause.objects.get(code="software_fault"),
                     fix="重启", actor=desk.engineer)  # fmt: skip
    clocks = sorted(ticket.clocks.values_list("kind", "budget_minutes", "due_at", "state"))
    with pytest.raises(Exception) as error:
        services.change_level(ticket, level="L3", reason="x", actor=desk.agent)
    assert error.value.code == "ticket_not_open"
    api.force_authenticate(desk.agent)
    response = api.post(f"/api/tickets/{ticket.pk}/reclassify/", {"level": "L3", "reason": ""},
                        format="json")  # fmt: skip
    assert response.status_code == 400
    response = api.post(f"/api/tickets/{ticket.pk}/reclassify/",
                        {"level": "L3", "reason": "实际影响较小"}, format="json")  # fmt: skip
    assert (response.status_code, response.json()["level"]) == (200, "L3")
    assert sorted(ticket.clocks.values_list("kind", "budget_minutes", "due_at", "state")) == clocks
    client.force_login(desk.agent)
    response = client.post(f"/tickets/{ticket.pk}/reclassify/", {
        "reclassify-level": "L2", "reclassify-reason": "复核后仍为二级"})  # fmt: skip
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.level == "L2"
    assert ChangeLog.objects.filter(kind="ticket.reclassified").count() == 2


def test_fault_on_third_party_equipment_links_the_coverage_and_creates_a_task(desk):
    from weibao.assets.models import AssetCategory
    from weibao.library.models import ThirdPartyCoverage
    from weibao.testing import factories as f

    server = AssetCategory.objects.filter(is_third_party=True).first() or (
        AssetCategory.objects.create(code="server-x", name="服务器", is_third_party=True)
    )
    asset = f.AssetFactory(site=desk.site, category=server, name="存储服务器")
    coverage = ThirdPartyCoverage.objects.create(
        customer=desk.customer, vendor="华为", covers="存储服务器原厂保修",
        contact_name="王工", contact_phone="400-822-9999")  # fmt: skip
    coverage.assets.add(asset)
    ticket = desk.open(level="L2", asset=asset)
    assert ticket.third_party_coverage == coverage
    task = ticket.emergency_actions.get(code="contact_third_party")
    assert task.label == "联系第三方保修"
    assert "华为" in task.note and "400-822-9999" in task.note
    plain = desk.open(level="L2")
    assert not plain.emergency_actions.exists()


def test_third_party_category_without_coverage_still_gets_the_task(desk):
    from weibao.assets.models import AssetCategory
    from weibao.testing import factories as f

    ups = AssetCategory.objects.create(code="ups-x", name="UPS", is_third_party=True)
    ticket = desk.open(level="L3", asset=f.AssetFactory(site=desk.site, category=ups))
    assert ticket.third_party_coverage is None
    task = ticket.emergency_actions.get(code="contact_third_party")
    assert "尚无保修记录" in task.note
