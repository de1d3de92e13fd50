"""The support flow (TKT-2) written down: one table of the moves a ticket may make.

    new ──start_phone──▶ phone_support ──go_remote (consent recorded)──▶ remote_support
     │                        │  └──────────go_onsite (L1/L2; L3 if the contract allows)─┐
     │                        │                                                          ▼
     │                        │                   remote_support ──go_onsite──▶ onsite_support
     │                        │       remote/onsite ──expert_remote──▶ expert_remote
     │                        │       expert_remote ──expert_onsite──▶ expert_onsite
     └─(L1, any open stage)──declare_emergency──▶ emergency
    any open stage ──resolve (cause + fix)──▶ resolved ──close (satisfied callback)──▶ closed
                                resolved ──callback (not satisfied) / reopen──▶ phone_support

`TICKET_FLOW` is a `weibao.core.workflow.Workflow`: guards take `(ticket, actor)` and return
None or a `Refusal` with a stable code; a refused move raises `MoveRefused` and changes
nothing. Who may move: `TICKET_WORK` (the support flow, consent, pause/resume, resolve) and
`TICKET_CALLBACK` (close). An engineer works only their own tickets (`not_assigned`) unless
another role of theirs grants the same capability; an unassigned ticket is theirs to take.

Other apps add conditions to `resolve` with `register_resolve_guard(guard)` from their
`AppConfig.ready()` (field service: "a ticket with an open visit cannot be resolved"), and
act on a resolution with `register_on_resolved(hook)` (field service: the technical service
report of a phone or remote resolution), so that tickets imports neither of them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from weibao.accounts.capabilities import Capability
from weibao.accounts.choices import Role
from weibao.core import permissions
from weibao.core.workflow import Guard, Move, Refusal, Workflow, sources
from weibao.tickets.choices import OPEN_STAGES, Level, RequestType, Stage

NOT_ASSIGNED = "not_assigned"


def assigned_refusal(ticket, actor) -> Refusal | None:
    """An engineer works only tickets assigned to them (or nobody yet), unless another role
    they hold grants `TICKET_WORK` too (e.g. an engineer who is also the manager)."""
    if actor is None or getattr(actor, "is_superuser", False) or actor.customer_id:
        return None
    if ticket.assigned_engineer_id in (None, actor.pk):
        return None
    roles = actor.roles_for(ticket.customer_id)
    if Role.ENGINEER not in roles:
        return None
    from weibao.accounts.models import RoleCapability

    others = roles - {Role.ENGINEER}
    if others and Capability.TICKET_WORK in RoleCapability.matrix_for(others):
        return None
    return Refusal(
        NOT_ASSIGNED,
        _("该工单由 %(name)s 负责；工程师只能处理分配给自己的工单。")
        % {"name": ticket.assigned_engineer},
        status=403,
    )


def require_work(ticket, actor) -> None:
    """Raise unless `actor` may work this ticket (consent, pause/resume, clocks): the
    capability `TICKET_WORK` for its customer, and an engineer's own ticket."""
    if actor is None:
        return
    permissions.require(actor, Capability.TICKET_WORK, customer_id=ticket.customer_id)
    refused = assigned_refusal(ticket, actor)
    if refused is not None:
        raise permissions.PermissionRefused(str(refused.message), capability=NOT_ASSIGNED)


def _all(*guards: Guard) -> Guard:
    def guard(ticket, actor):
        for each in guards:
            refused = each(ticket, actor)
            if refused is not None:
                return refused
        return None

    return guard


def _consent_recorded(ticket, actor) -> Refusal | None:
    if ticket.remote_consent_at is None:
        return Refusal(
            "consent_required", _("转远程支持前必须记录客户的同意（同意人、时间、方式）。")
        )
    return None


def _onsite_allowed(ticket, actor) -> Refusal | None:
    if ticket.request_type != RequestType.FAULT:
        return Refusal("not_a_fault", _("只有故障工单提供现场支持。"))
    if ticket.level in (Level.L1, Level.L2):
        return None
    if ticket.level == Level.L3 and ticket.frozen_policy.onsite_for_l3:
        return None
    return Refusal("onsite_not_covered", _("合同不为该级别故障提供现场支持。"))


def _is_l1(ticket, actor) -> Refusal | None:
    if ticket.level != Level.L1:
        return Refusal("not_level_1", _("只有一级故障走应急流程；请先将级别改为一级。"))
    return None


def _close_allowed(ticket, actor) -> Refusal | None:
    if not ticket.callbacks.filter(satisfied=True).exists():
        return Refusal("callback_required", _("关闭前必须有客户回访结果（客户满意）。"))
    pending = [
        str(a.label_text)
        for a in ticket.emergency_actions.all()
        if a.phase == "aftercare" and not a.settled
    ]
    if pending:
        return Refusal(
            "aftercare_pending",
            _("一级故障善后未完成：%(tasks)s。请完成或注明原因免除。")
            % {"tasks": _("、").join(pending)},
        )
    return None


_RESOLVE_GUARDS: list[Guard] = []


def register_resolve_guard(guard: Guard) -> None:
    """Add a condition to `resolve`: `guard(ticket, actor) -> Refusal | None`. Registering
    the same guard twice (e.g. `ready()` run again in tests) keeps one."""
    if guard not in _RESOLVE_GUARDS:
        _RESOLVE_GUARDS.append(guard)


def _registered_resolve_guards(ticket, actor) -> Refusal | None:
    for guard in list(_RESOLVE_GUARDS):
        refused = guard(ticket, actor)
        if refused is not None:
            return refused
    return None


_ON_RESOLVED: list = []


def register_on_resolved(hook) -> None:
    """Call `hook(ticket, actor)` after each successful `resolve`, inside the same transaction
    (an exception undoes the resolution). Registering the same hook twice keeps one."""
    if hook not in _ON_RESOLVED:
        _ON_RESOLVED.append(hook)


def run_on_resolved(ticket, actor) -> None:
    """Run the hooks registered with `register_on_resolved`, in registration order."""
    for hook in list(_ON_RESOLVED):
        hook(ticket, actor)


_WORKING = sources(Stage.PHONE, Stage.REMOTE, Stage.ONSITE, Stage.EXPERT_REMOTE,
                   Stage.EXPERT_ONSITE, Stage.EMERGENCY)  # fmt: skip
WORK = Capability.TICKET_WORK
CALLBACK = Capability.TICKET_CALLBACK
_own = assigned_refusal

TICKET_FLOW = Workflow(
    "ticket",
    state_field="stage",
    states=Stage,
    noun=_("工单"),
    moves=[
        Move("start_phone", _("开始电话支持"), sources(Stage.NEW), Stage.PHONE,
             guard=_own, capability=WORK),
        Move("go_remote", _("转远程支持"), sources(Stage.PHONE), Stage.REMOTE,
             guard=_all(_own, _consent_recorded), capability=WORK),
        Move("go_onsite", _("客户确认需要现场支持"), sources(Stage.PHONE, Stage.REMOTE),
             Stage.ONSITE, guard=_all(_own, _onsite_allowed), capability=WORK),
        Move("expert_remote", _("升级到专家远程诊断/模拟"), sources(Stage.REMOTE, Stage.ONSITE),
             Stage.EXPERT_REMOTE, guard=_own, capability=WORK),
        Move("expert_onsite", _("专家现场排障"), sources(Stage.EXPERT_REMOTE),
             Stage.EXPERT_ONSITE, guard=_own, capability=WORK),
        Move("declare_emergency", _("启动一级故障应急"), OPEN_STAGES - {Stage.EMERGENCY},
             Stage.EMERGENCY, guard=_all(_own, _is_l1), capability=WORK),
        Move("resolve", _("故障已解决"), _WORKING, Stage.RESOLVED,
             guard=_all(_own, _registered_resolve_guards), capability=WORK, button=False),
        Move("reopen", _("重新打开"), sources(Stage.RESOLVED), Stage.PHONE, needs_note=True,
             capability=WORK),
        Move("close", _("关闭"), sources(Stage.RESOLVED), Stage.CLOSED, guard=_close_allowed,
             capability=CALLBACK),
    ],
)  # fmt: skip
