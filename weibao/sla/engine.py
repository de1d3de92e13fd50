"""Pure functions from a frozen `Policy` to deadlines (SLA-1..6, ESC-1, ESC-2).

Nothing here touches the database or the clock: every input is an argument, so the whole of
表 11–16 is tested with parametrised tables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_noop as _noop

from weibao.contracts.policy import ArrivalRule, EscalationStep, Policy
from weibao.sla.choices import ClockKind

# Aliases of the one enum (`weibao.sla.choices.ClockKind`) for existing callers.
PHONE_RESPONSE = ClockKind.PHONE_RESPONSE
REMOTE_RESPONSE = ClockKind.REMOTE_RESPONSE
ONSITE_RESPONSE = ClockKind.ONSITE_RESPONSE
ONSITE_ARRIVAL = ClockKind.ONSITE_ARRIVAL
CLOCK_KINDS = tuple(ClockKind)


def response_minutes(policy: Policy, kind: str, level_key: str) -> int | None:
    """Minutes 表 11/12/13 allow for `level_key` (L1…L4, consultation, other); None: no clock."""
    return policy.response.get(kind, {}).get(level_key)


def distance_minutes(policy: Policy, distance_km: float) -> int:
    """表 14: minutes to arrive on site from the serving point `distance_km` away."""
    for tier in policy.distance_tiers:
        if tier.max_km is None or distance_km <= tier.max_km:
            return tier.minutes
    return policy.distance_tiers[-1].minutes


def arrival_minutes(policy: Policy, level_key: str, distance_km: float | None) -> int | None:
    """The on-site arrival budget: 表 13 and 表 14 combined by the contract's rule.

    Without a known distance only 表 13 applies (the agent sees the site has no service point).
    """
    response = response_minutes(policy, ClockKind.ONSITE_RESPONSE, level_key)
    if distance_km is None:
        return response
    by_distance = distance_minutes(policy, distance_km)
    if response is None or policy.arrival_rule == ArrivalRule.DISTANCE_ONLY:
        return by_distance
    if policy.arrival_rule == ArrivalRule.EARLIER:
        return min(response, by_distance)
    if policy.arrival_rule == ArrivalRule.SUM:
        return response + by_distance
    return max(response, by_distance)


def budget_minutes(
    policy: Policy, kind: str, level_key: str, distance_km: float | None = None
) -> int | None:
    """The budget of a clock of `kind` for a ticket at `level_key`."""
    if kind == ClockKind.ONSITE_ARRIVAL:
        return arrival_minutes(policy, level_key, distance_km)
    return response_minutes(policy, kind, level_key)


def due_at(started_at: dt.datetime, budget: int, paused: dt.timedelta) -> dt.datetime:
    """Clocks run 7×24 on calendar time (SLA-5); paused time pushes the deadline back."""
    return started_at + dt.timedelta(minutes=budget) + paused


def ladder(policy: Policy, level: str) -> tuple[EscalationStep, ...]:
    """表 16 for one level, in firing order."""
    return tuple(
        sorted((s for s in policy.escalation if s.level == level), key=lambda s: s.after_minutes)
    )


@dataclass(frozen=True)
class EmergencyActionSpec:
    code: str
    label: str
    owner_role: str
    after_minutes: int | None  # None: aftercare, no deadline, guards closing (ESC-3)
    phase: str


# §1.1.7.2 (ESC-2) and the aftercare of ESC-3, in order. Each label is stored on the ticket's
# action as written here and read in the reader's language (`EmergencyAction.label_text`).
EMERGENCY_ACTIONS = (
    EmergencyActionSpec("notify_leadership", _noop("15 分钟内电话通知负责人和维护管理经理"),
                        "support_agent", 15, "emergency"),
    EmergencyActionSpec("dispatch_engineer", _noop("维护管理经理立即安排维护工程师赶往现场"),
                        "maintenance_manager", 0, "emergency"),
    EmergencyActionSpec("form_emergency_team", _noop("30 分钟内服处经理成立应急小组"),
                        "service_office_manager", 30, "emergency"),
    EmergencyActionSpec("expert_remote", _noop("1 小时内子中心专家远程访问或实验室模拟"),
                        "subcenter_expert", 60, "emergency"),
    EmergencyActionSpec("form_expert_team", _noop("2 小时内中心负责人成立专家小组"),
                        "center_head", 120, "emergency"),
    EmergencyActionSpec("onsite_observation", _noop("现场观察 1–2 天，运行稳定"), "engineer", None,
                        "aftercare"),
    EmergencyActionSpec("signed_service_report", _noop("客户签字的技术服务报告"), "engineer", None,
                        "aftercare"),
    EmergencyActionSpec("root_cause_analysis", _noop("客户支持中心组织查找故障原因"),
                        "support_agent", None, "aftercare"),
    EmergencyActionSpec("leadership_debrief",
                        _noop("维护经理向客户主要领导当面汇报（原因、结果、方法）"),
                        "maintenance_manager", None, "aftercare"),
)  # fmt: skip
