"""The repair route (RMA-2, RMA-5, RMA-6) written down: one table of the moves a repair may
make. The turnaround clock runs while the part is received, at the repair center or on its
way back; it stops when the customer has the part again.

    received ──send_to_center──▶ at_repair_center
    received / at_repair_center ──repaired | unrepairable──▶ returning
    returning ──deliver (repaired)──▶ in_trial ──pass_trial──▶ closed
                                          └──fail_trial──▶ trial_failed (+ a new repair)
    returning ──deliver_unrepaired (unrepairable)──▶ returned_unrepaired

A refused move raises `MoveRefused` with a stable code and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from weibao.core.errors import DomainError
from weibao.repairs.choices import Outcome
from weibao.repairs.choices import RepairStatus as S


class MoveRefused(DomainError):
    code = "move_refused"


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


def _outcome_is(outcome: str) -> Callable[[object], Refusal | None]:
    def guard(repair) -> Refusal | None:
        if repair.outcome != outcome:
            return Refusal("outcome_mismatch", _("维修结果与此操作不符。"))
        return None

    return guard


@dataclass(frozen=True)
class Move:
    verb: str
    label: str
    sources: frozenset[str]
    target: str
    guard: Callable[[object], Refusal | None] | None = None


_AT_PROVIDER = frozenset({S.RECEIVED, S.AT_REPAIR_CENTER})

MOVES: dict[str, Move] = {
    m.verb: m
    for m in (
        Move("send_to_center", _("送维修中心"), frozenset({S.RECEIVED}), S.AT_REPAIR_CENTER),
        Move("repaired", _("修复完成，寄回客户"), _AT_PROVIDER, S.RETURNING),
        Move("unrepairable", _("无法修复，原件退回"), _AT_PROVIDER, S.RETURNING),
        Move(
            "deliver",
            _("客户已收到修复件"),
            frozenset({S.RETURNING}),
            S.IN_TRIAL,
            _outcome_is(Outcome.REPAIRED),
        ),
        Move(
            "deliver_unrepaired",
            _("客户已收到退回件"),
            frozenset({S.RETURNING}),
            S.RETURNED_UNREPAIRED,
            _outcome_is(Outcome.UNREPAIRABLE),
        ),
        Move("pass_trial", _("试用合格"), frozenset({S.IN_TRIAL}), S.CLOSED),
        Move("fail_trial", _("试用不合格，重新返修"), frozenset({S.IN_TRIAL}), S.TRIAL_FAILED),
    )
}

# Moves a person starts with one button; the others need a form (dates, reasons).
BUTTON_MOVES = ("send_to_center", "repaired", "unrepairable", "pass_trial")


def refusal(repair, verb: str) -> Refusal | None:
    """Why `verb` is not allowed for the repair now, or None when it is (`can_<verb>`)."""
    move = MOVES.get(verb)
    if move is None:
        return Refusal("unknown_move", _("没有这个操作：%(verb)s") % {"verb": verb})
    if repair.status not in move.sources:
        return Refusal(
            "status_not_allowed",
            _("返修单处于“%(status)s”状态，不能“%(move)s”。")
            % {"status": S(repair.status).label, "move": move.label},
        )
    return move.guard(repair) if move.guard else None


def check(repair, verb: str) -> Move:
    reason = refusal(repair, verb)
    if reason is not None:
        raise MoveRefused(str(reason.message), code=reason.code)
    return MOVES[verb]


def available_moves(repair) -> list[Move]:
    return [m for verb, m in MOVES.items() if refusal(repair, verb) is None]
