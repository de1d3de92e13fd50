"""The support flow (TKT-2) written down: one table of the moves a ticket may make.

    new ──start_phone──▶ phone_support ──go_remote (consent recorded)──▶ remote_support
     │                        │  └──────────go_onsite (L1/L2; L3 if the contract allows)─┐
     │                        │                                                          ▼
     │                        │                   remote_support ──go_onsite──▶ onsite_support
     │                        │       remote/onsite ──expert_remote──▶ expert_remote
     │                        │       expert_remote ──expert_onsite──▶ expert_onsite
     └─(L1, any open stage)──declare_emergency──▶ emergency
    any open stage ──resolve──▶ resolved ──callback (satisfied)──▶ closed
                                resolved ──callback (not satisfied) / reopen──▶ phone_support

Each move has a guard returning None (allowed) or a refusal with a stable code; a refused move
raises `MoveRefused` and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from weibao.core.errors import DomainError
from weibao.tickets.choices import OPEN_STAGES, Level, RequestType, Stage


class MoveRefused(DomainError):
    code = "move_refused"


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


Guard = Callable[[object], Refusal | None]


def _consent_recorded(ticket) -> Refusal | None:
    if ticket.remote_consent_at is None:
        return Refusal(
            "consent_required", _("转远程支持前必须记录客户的同意（同意人、时间、方式）。")
        )
    return None


def _onsite_allowed(ticket) -> Refusal | None:
    if ticket.request_type != RequestType.FAULT:
        return Refusal("not_a_fault", _("只有故障工单提供现场支持。"))
    if ticket.level in (Level.L1, Level.L2):
        return None
    if ticket.level == Level.L3 and ticket.frozen_policy.onsite_for_l3:
        return None
    return Refusal("onsite_not_covered", _("合同不为该级别故障提供现场支持。"))


def _is_l1(ticket) -> Refusal | None:
    if ticket.level != Level.L1:
        return Refusal("not_level_1", _("只有一级故障走应急流程；请先将级别改为一级。"))
    return None


def _close_allowed(ticket) -> Refusal | None:
    if not ticket.callbacks.filter(satisfied=True).exists():
        return Refusal("callback_required", _("关闭前必须有客户回访结果（客户满意）。"))
    pending = [
        a.label for a in ticket.emergency_actions.all() if a.phase == "aftercare" and not a.settled
    ]
    if pending:
        return Refusal(
            "aftercare_pending",
            _("一级故障善后未完成：%(tasks)s。请完成或注明原因免除。")
            % {"tasks": "、".join(pending)},
        )
    return None


@dataclass(frozen=True)
class Move:
    verb: str
    label: str
    sources: frozenset[str]
    target: str
    guard: Guard | None = None
    needs_note: bool = False


_WORKING = frozenset({Stage.PHONE, Stage.REMOTE, Stage.ONSITE, Stage.EXPERT_REMOTE,
                      Stage.EXPERT_ONSITE, Stage.EMERGENCY})  # fmt: skip

MOVES: dict[str, Move] = {
    m.verb: m
    for m in (
        Move("start_phone", _("开始电话支持"), frozenset({Stage.NEW}), Stage.PHONE),
        Move("go_remote", _("转远程支持"), frozenset({Stage.PHONE}), Stage.REMOTE,
             _consent_recorded),
        Move("go_onsite", _("客户确认需要现场支持"), frozenset({Stage.PHONE, Stage.REMOTE}),
             Stage.ONSITE, _onsite_allowed),
        Move("expert_remote", _("升级到专家远程诊断/模拟"),
             frozenset({Stage.REMOTE, Stage.ONSITE}), Stage.EXPERT_REMOTE),
        Move("expert_onsite", _("专家现场排障"), frozenset({Stage.EXPERT_REMOTE}),
             Stage.EXPERT_ONSITE),
        Move("declare_emergency", _("启动一级故障应急"), OPEN_STAGES - {Stage.EMERGENCY},
             Stage.EMERGENCY, _is_l1),
        Move("resolve", _("故障已解决"), _WORKING, Stage.RESOLVED),
        Move("reopen", _("重新打开"), frozenset({Stage.RESOLVED}), Stage.PHONE, needs_note=True),
        Move("close", _("关闭"), frozenset({Stage.RESOLVED}), Stage.CLOSED, _close_allowed),
    )
}  # fmt: skip


def refusal(ticket, verb: str) -> Refusal | None:
    """Why `verb` is not allowed for the ticket now, or None when it is (`can_<verb>`)."""
    move = MOVES.get(verb)
    if move is None:
        return Refusal("unknown_move", _("没有这个操作：%(verb)s") % {"verb": verb})
    if ticket.stage not in move.sources:
        return Refusal(
            "stage_not_allowed",
            _("工单处于“%(stage)s”阶段，不能“%(move)s”。")
            % {"stage": Stage(ticket.stage).label, "move": move.label},
        )
    return move.guard(ticket) if move.guard else None


def check(ticket, verb: str) -> Move:
    """The move, or `MoveRefused` with the refusal's code."""
    reason = refusal(ticket, verb)
    if reason is not None:
        raise MoveRefused(str(reason.message), code=reason.code)
    return MOVES[verb]


def available_moves(ticket) -> list[Move]:
    return [m for verb, m in MOVES.items() if refusal(ticket, verb) is None]
