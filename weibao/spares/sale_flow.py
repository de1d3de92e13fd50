"""The spare-part sales flow (SPS-1) written down: one table of the moves an order may make.

    requested ──quote──▶ quoted ──agree──▶ agreed ──sign──▶ contracted ──prepay──▶ prepaid
        ▲                  │ └─quote (a new revision)                                │
        └──────reject──────┘                                          ship (≤ 3 months)
                                                                                      ▼
                                                         delivered ◀──deliver── shipped
    any stage before shipping ──cancel──▶ cancelled

A refused move raises `MoveRefused` with a stable code and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from weibao.core.errors import DomainError
from weibao.spares.choices import SaleStage as S


class MoveRefused(DomainError):
    code = "move_refused"


@dataclass(frozen=True)
class Move:
    verb: str
    label: str
    sources: frozenset[str]
    target: str


MOVES: dict[str, Move] = {
    m.verb: m
    for m in (
        Move("quote", _("提交配置方案与报价"), frozenset({S.REQUESTED, S.QUOTED}), S.QUOTED),
        Move("agree", _("客户同意方案与报价"), frozenset({S.QUOTED}), S.AGREED),
        Move("reject", _("客户不同意，退回修改方案"), frozenset({S.QUOTED}), S.REQUESTED),
        Move("sign", _("签订备件销售合同"), frozenset({S.AGREED}), S.CONTRACTED),
        Move("prepay", _("收到预付款"), frozenset({S.CONTRACTED}), S.PREPAID),
        Move("ship", _("生产、发货"), frozenset({S.PREPAID}), S.SHIPPED),
        Move("deliver", _("客户验货签收"), frozenset({S.SHIPPED}), S.DELIVERED),
        Move(
            "cancel",
            _("取消"),
            frozenset({S.REQUESTED, S.QUOTED, S.AGREED, S.CONTRACTED, S.PREPAID}),
            S.CANCELLED,
        ),
    )
}


def refusal(order, verb: str) -> str | None:
    """Why `verb` is not allowed for the order now, or None (`can_<verb>`)."""
    move = MOVES.get(verb)
    if move is None:
        return str(_("没有这个操作：%(verb)s") % {"verb": verb})
    if order.stage not in move.sources:
        return str(
            _("销售单处于“%(stage)s”阶段，不能“%(move)s”。")
            % {"stage": S(order.stage).label, "move": move.label}
        )
    return None


def check(order, verb: str) -> Move:
    reason = refusal(order, verb)
    if reason is not None:
        raise MoveRefused(reason, code="stage_not_allowed")
    return MOVES[verb]


def available_moves(order) -> list[Move]:
    return [m for verb, m in MOVES.items() if refusal(order, verb) is None]
