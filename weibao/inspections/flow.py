"""The moves of an inspection visit (INS-2, INS-3), written down as one `Workflow`.

    planned ──start (engineer on site)──▶ in_progress ──complete (every item recorded)──▶ done
       │  ├─reschedule (planner, with a reason; state unchanged)
       │  └─assign (planner; also while in progress; state unchanged)
       └──cancel (planner, with a reason)──▶ cancelled
    in_progress ──record (one checklist item; state unchanged)

Planners hold `inspection.plan` (维护管理经理, 中心负责人 by default); engineers hold
`visit.work` and run their own visits: a visit nobody was assigned to becomes the engineer's
when they start it. A refused move raises `weibao.core.workflow.MoveRefused`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from weibao.accounts.capabilities import Capability
from weibao.core.workflow import Move, Refusal, Workflow, sources
from weibao.inspections.choices import CheckOutcome, VisitState

P, R, D = VisitState.PLANNED, VisitState.IN_PROGRESS, VisitState.DONE


def pending_checks(visit) -> int:
    return visit.checks.filter(outcome=CheckOutcome.PENDING).count()


def _own_visit(visit, actor) -> Refusal | None:
    """Engineers run the visits assigned to them (or nobody's yet); administrators any."""
    if actor is None or getattr(actor, "is_superuser", False):
        return None
    if visit.engineer_id in (None, actor.pk):
        return None
    return Refusal(
        "not_your_visit",
        _("这次巡检已指派给 %(name)s。") % {"name": visit.engineer},
        status=403,
    )


def _checks_recorded(visit, actor) -> Refusal | None:
    refused = _own_visit(visit, actor)
    if refused is not None:
        return refused
    pending = pending_checks(visit)
    if pending:
        return Refusal("checks_pending", _("还有 %(n)s 个检查项未记录结果。") % {"n": pending})
    return None


PLAN = Capability.INSPECTION_PLAN
WORK = Capability.VISIT_WORK

INSPECTION_VISIT_FLOW = Workflow(
    "inspection_visit",
    state_field="state",
    states=VisitState,
    noun=_("巡检"),
    moves=[
        # target None: the move changes the visit but not its state (services never `apply` it)
        Move("reschedule", _("改期"), sources(P), None, capability=PLAN, button=False),
        Move("assign", _("指派工程师"), sources(P, R), None, capability=PLAN, button=False),
        Move("start", _("到场开始巡检"), sources(P), R, guard=_own_visit, capability=WORK),
        Move("record", _("记录检查结果"), sources(R), None, guard=_own_visit, capability=WORK,
             button=False),
        Move("complete", _("完成巡检"), sources(R), D, guard=_checks_recorded, capability=WORK,
             button=False),
        Move("cancel", _("取消"), sources(P), VisitState.CANCELLED, capability=PLAN,
             needs_note=True, button=False),
    ],
)  # fmt: skip
