"""The SLA policy of a contract as frozen data, with the defaults of spec §5 (表 11–16).

Contracts store their policy as rows an administrator can edit (`ContractPolicy` and its
tables); `ContractPolicy.snapshot()` turns the rows into a `Policy` that later capabilities
freeze onto a ticket when it opens, so editing a contract never moves running clocks.
Every duration is in minutes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class LevelKey(models.TextChoices):
    """Fault levels plus the two request types that are not faults (FLT-3)."""

    L1 = "L1", _("一级故障")
    L2 = "L2", _("二级故障")
    L3 = "L3", _("三级故障")
    L4 = "L4", _("四级故障")
    CONSULTATION = "consultation", _("技术咨询")
    OTHER = "other", _("其它问题")


class ClockKind(models.TextChoices):
    """THE clock kinds (SLA-1..4), one vocabulary for contracts and the clocks of `sla`.

    A contract's response tables budget the first three (表 11–13, `RESPONSE_CLOCKS`); the
    arrival clock's budget combines 表 13 and 表 14 (the distance tiers)."""

    PHONE_RESPONSE = "phone_response", _("电话支持响应")
    REMOTE_RESPONSE = "remote_response", _("远程支持响应")
    ONSITE_RESPONSE = "onsite_response", _("现场服务响应")
    ONSITE_ARRIVAL = "onsite_arrival", _("到达现场")


# The clocks a contract's response tables budget, each named with its table.
RESPONSE_TABLES = {
    ClockKind.PHONE_RESPONSE: _("电话支持响应（表 11）"),
    ClockKind.REMOTE_RESPONSE: _("远程支持响应（表 12）"),
    ClockKind.ONSITE_RESPONSE: _("现场服务响应（表 13）"),
}
RESPONSE_CLOCKS = tuple(RESPONSE_TABLES)


class ArrivalRule(models.TextChoices):
    """How 表 13 (on-site response) and 表 14 (arrival by distance) combine."""

    LATER = "later", _("取两者中较晚者（默认）")
    EARLIER = "earlier", _("取两者中较早者")
    SUM = "sum", _("两者相加")
    DISTANCE_ONLY = "distance_only", _("只按距离（表 14）")


class EscalationTarget(models.TextChoices):
    """Who a step of 表 16 reaches."""

    FIELD_ENGINEER = "field_engineer", _("现场服务工程师")
    EMERGENCY_TEAM = "emergency_team", _("应急服务小组")
    ACCOUNT_MANAGER = "account_manager", _("客户经理")
    MAINTENANCE_MANAGER = "maintenance_manager", _("维护管理经理")
    SERVICE_CENTER_GM = "service_center_gm", _("服务中心总经理")


THREE_LEVELS = ("L1", "L2", "L3")
FOUR_LEVELS = ("L1", "L2", "L3", "L4")


@dataclass(frozen=True)
class DistanceTier:
    max_km: int | None  # None: beyond the last limit
    minutes: int


@dataclass(frozen=True)
class EscalationStep:
    level: str
    after_minutes: int
    target: str


@dataclass(frozen=True)
class Policy:
    """A contract's service policy, frozen. `response[clock][level]` → minutes."""

    level_scheme: int
    arrival_rule: str
    onsite_for_l3: bool
    response: dict[str, dict[str, int]]
    distance_tiers: tuple[DistanceTier, ...]
    escalation: tuple[EscalationStep, ...]
    terms: dict[str, int] = field(default_factory=dict)

    @property
    def levels(self) -> tuple[str, ...]:
        return FOUR_LEVELS if self.level_scheme == 4 else THREE_LEVELS

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Policy:
        return cls(
            level_scheme=data["level_scheme"],
            arrival_rule=data["arrival_rule"],
            onsite_for_l3=data["onsite_for_l3"],
            response={k: dict(v) for k, v in data["response"].items()},
            distance_tiers=tuple(DistanceTier(**t) for t in data["distance_tiers"]),
            escalation=tuple(EscalationStep(**s) for s in data["escalation"]),
            terms=dict(data.get("terms", {})),
        )


H = 60  # minutes per hour

# 表 11, 表 12, 表 13. L4 (4-level scheme, 表 15: information or support needed) answers
# like a technical consultation; it needs neither remote nor on-site clocks by default.
DEFAULT_RESPONSE: dict[str, dict[str, int]] = {
    ClockKind.PHONE_RESPONSE: {
        "L1": 30, "L2": 2 * H, "L3": 2 * H, "L4": 2 * H, "consultation": 2 * H, "other": 48 * H,
    },
    ClockKind.REMOTE_RESPONSE: {"L1": 30, "L2": 2 * H, "L3": 4 * H},
    ClockKind.ONSITE_RESPONSE: {"L1": 2 * H, "L2": 12 * H, "L3": 24 * H},
}  # fmt: skip

# 表 14: arrival on site by distance from the serving service point.
DEFAULT_DISTANCE_TIERS = (
    DistanceTier(50, 5 * H),
    DistanceTier(100, 12 * H),
    DistanceTier(400, 24 * H),
    DistanceTier(None, 3 * 24 * H),
)

# 表 16: by time since the request, while unresolved.
DEFAULT_ESCALATION = (
    EscalationStep("L1", 15, EscalationTarget.FIELD_ENGINEER),
    EscalationStep("L1", 30, EscalationTarget.EMERGENCY_TEAM),
    EscalationStep("L1", 45, EscalationTarget.ACCOUNT_MANAGER),
    EscalationStep("L1", 60, EscalationTarget.SERVICE_CENTER_GM),
    EscalationStep("L2", 15, EscalationTarget.FIELD_ENGINEER),
    EscalationStep("L2", 45, EscalationTarget.EMERGENCY_TEAM),
    EscalationStep("L2", 60, EscalationTarget.ACCOUNT_MANAGER),
    EscalationStep("L3", 15, EscalationTarget.FIELD_ENGINEER),
    EscalationStep("L3", 60, EscalationTarget.EMERGENCY_TEAM),
    EscalationStep("L4", 15, EscalationTarget.FIELD_ENGINEER),
)

# Numbers of §8–§12 that contracts may change ("根据标书要求进行修改").
DEFAULT_TERMS: dict[str, int] = {
    "repair_domestic_working_days": 30,  # RMA-3
    "repair_foreign_working_days": 60,  # RMA-3
    "repair_trial_months": 1,  # RMA-5
    "loan_max_months": 3,  # SPX-3
    "loan_total_max_months": 6,  # SPX-3, then it converts into a sale
    "sale_ship_months": 3,  # SPS-1
    "warranty_months": 12,  # SPS-2
    "training_max_minutes": 120,  # TRN-1
    "complaint_response_minutes": 24 * H,  # OTH-5 (the document gives no figure)
    # ESC-4: a fault still open after the last step of 表 16 keeps escalating at this cadence
    "continued_escalation_manager_minutes": 4 * H,  # to the maintenance manager
    "continued_escalation_gm_minutes": 24 * H,  # to the service centre's general manager
    # TKT-1: how far back staff may log a late call (earlier: a TICKET_BACKDATE holder)
    "late_log_max_minutes": 24 * H,
}

TERM_LABELS: dict[str, str] = {
    "repair_domestic_working_days": _("国内维修周期（工作日）"),
    "repair_foreign_working_days": _("国外维修周期（工作日）"),
    "repair_trial_months": _("返修后试用期（月）"),
    "loan_max_months": _("备件借用期（月）"),
    "loan_total_max_months": _("借用期含延期上限（月）"),
    "sale_ship_months": _("备件销售发货期限（月）"),
    "warranty_months": _("备件销售保修期（月）"),
    "training_max_minutes": _("单次培训时长上限（分钟）"),
    "complaint_response_minutes": _("投诉首次响应时限（分钟）"),
    "continued_escalation_manager_minutes": _("升级结束后仍未解决：通知维护管理经理间隔（分钟）"),
    "continued_escalation_gm_minutes": _("升级结束后仍未解决：通知服务中心总经理间隔（分钟）"),
    "late_log_max_minutes": _("补录来电最多可早于当前时间（分钟）"),
}


def default_policy(level_scheme: int = 3) -> Policy:
    return Policy(
        level_scheme=level_scheme,
        arrival_rule=ArrivalRule.LATER,
        onsite_for_l3=True,
        response={k: dict(v) for k, v in DEFAULT_RESPONSE.items()},
        distance_tiers=DEFAULT_DISTANCE_TIERS,
        escalation=DEFAULT_ESCALATION,
        terms=dict(DEFAULT_TERMS),
    )
