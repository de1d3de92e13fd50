"""ESC-1: escalations never reach nobody. A step or an overdue emergency action whose role has
no holder, or whose holders have no usable address, goes to the next role up the ladder and
the ticket shows "无人可通知 → 已转 …"."""

import datetime as dt

import pytest
from django.template.loader import render_to_string

from weibao.accounts.models import RoleAssignment
from weibao.escalations.runner import tick
from weibao.escalations.selectors import redirects_for
from weibao.notifications.models import Notification

pytestmark = pytest.mark.django_db


def at(frozen_clock, ticket, minutes):
    frozen_clock(ticket.reported_at + dt.timedelta(minutes=minutes))


def told(dedupe_key):
    return {n.recipient for n in Notification.objects.filter(dedupe_key=dedupe_key)}


def without_address(*users):
    for user in users:
        user.email, user.phone = "", ""
        user.save()


@pytest.mark.parametrize(
    ("minutes", "emptied", "expected", "label"),
    [
        # no account manager at all → the next target of the L1 ladder: the general manager
        (45, "account", "gm", "服务中心总经理"),
        # nobody assigned and no engineer role holder → the emergency team (next on the ladder)
        (15, "engineer", "team", "应急服务小组"),
    ],
)
def test_ladder_step_to_an_empty_role_goes_to_the_next_role_up(
    desk, frozen_clock, minutes, emptied, expected, label
):
    RoleAssignment.objects.filter(user=getattr(desk, emptied)).delete()
    ticket = desk.open(level="L1")
    at(frozen_clock, ticket, minutes)
    tick(deliver=False)
    step = ticket.escalation_steps.get(after_minutes=minutes)
    assert step.fired_at is not None
    people = set(desk.team) if expected == "team" else {getattr(desk, expected)}
    assert told(f"step:{step.pk}") == people
    assert step.recipients == len(people) and step.redirected_to
    [redirect] = redirects_for(ticket)
    assert redirect.reached_label == label
    assert "无人可通知" in redirect.message and f"已转 {label}" in redirect.message


def test_holders_without_any_address_are_skipped_up_to_the_maintenance_manager(desk, frozen_clock):
    # given an L2 ticket whose last step (60 min) is for the account manager, who has no
    # e-mail and no phone, and no SMS gateway anyway
    without_address(desk.account)
    ticket = desk.open(level="L2")
    at(frozen_clock, ticket, 60)
    tick(deliver=False)
    step = ticket.escalation_steps.get(after_minutes=60)
    # then the maintenance manager hears of it, and the ticket says so
    assert told(f"step:{step.pk}") == {desk.manager}
    assert step.redirected_to == "maintenance_manager"
    assert [r.reached for r in redirects_for(ticket)] == ["maintenance_manager"]


def test_when_the_manager_cannot_be_reached_either_the_general_manager_is(desk, frozen_clock):
    without_address(desk.account, desk.manager)
    ticket = desk.open(level="L2")
    at(frozen_clock, ticket, 60)
    tick(deliver=False)
    step = ticket.escalation_steps.get(after_minutes=60)
    assert told(f"step:{step.pk}") == {desk.gm}
    [redirect] = redirects_for(ticket)
    assert redirect.asked == "account_manager" and redirect.reached == "service_center_gm"


def test_overdue_action_of_an_unreachable_owner_goes_up(desk, frozen_clock):
    without_address(desk.head)  # the center head owns "form_expert_team" (2 hours)
    ticket = desk.open(level="L1")
    at(frozen_clock, ticket, 121)
    tick(deliver=False)
    action = ticket.emergency_actions.get(code="form_expert_team")
    assert told(f"action:{action.pk}:overdue") >= {desk.manager}
    assert desk.head not in told(f"action:{action.pk}:overdue")
    redirects = [r for r in redirects_for(ticket) if r.asked == "center_head"]
    # the L1 notice and the assignment went up when the ticket opened; the overdue notice once
    assert {r.reached for r in redirects} == {"maintenance_manager"}
    assert [r.reached for r in redirects if r.at > ticket.reported_at] == ["maintenance_manager"]


def test_the_redirect_snippet_shows_on_the_ticket(desk, frozen_clock, rf):
    RoleAssignment.objects.filter(user=desk.account).delete()
    ticket = desk.open(level="L1")
    at(frozen_clock, ticket, 45)
    tick(deliver=False)
    request = rf.get("/")
    request.user = desk.manager
    html = render_to_string(
        "escalations/_ticket_redirects.html", {"ticket": ticket}, request=request
    )
    assert "无人可通知" in html and "服务中心总经理" in html


def test_redirects_read_through_the_api_serializer(desk, frozen_clock):
    from weibao.escalations.api.serializers import RedirectSerializer

    RoleAssignment.objects.filter(user=desk.account).delete()
    ticket = desk.open(level="L1")
    at(frozen_clock, ticket, 45)
    tick(deliver=False)
    [data] = RedirectSerializer(redirects_for(ticket), many=True).data
    assert (data["asked"], data["reached"]) == ("account_manager", "service_center_gm")
    assert data["reached_label"] == "服务中心总经理"
