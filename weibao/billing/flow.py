"""The life of a billable statement written down: one table of allowed moves.

    draft ──send (has lines, total > 0)──▶ sent ──approve (customer)──▶ approved
      ▲                                     │ └──reject (customer, with a reason)──▶ rejected
      └──────────────withdraw (provider)────┘                                          │
      └──────────────────────────revise (provider)──────────────────────────────────────┘

Provider staff prepare, send, withdraw and revise; only a user of the statement's customer
approves or rejects. A refused move raises `StatementMoveRefused` with a stable code and
changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from weibao.billing.choices import StatementState
from weibao.core.errors import DomainError

PROVIDER = "provider"
CUSTOMER = "customer"


class StatementMoveRefused(DomainError):
    code = "move_refused"


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


@dataclass(frozen=True)
class Move:
    verb: str
    label: str
    sources: frozenset[str]
    target: str
    by: str
    needs_note: bool = False


MOVES: dict[str, Move] = {
    m.verb: m
    for m in (
        Move("send", _("发送给客户确认"), frozenset({StatementState.DRAFT}),
             StatementState.SENT, PROVIDER),
        Move("withdraw", _("撤回修改"), frozenset({StatementState.SENT}),
             StatementState.DRAFT, PROVIDER),
        Move("approve", _("同意"), frozenset({StatementState.SENT}),
             StatementState.APPROVED, CUSTOMER),
        Move("reject", _("拒绝"), frozenset({StatementState.SENT}),
             StatementState.REJECTED, CUSTOMER, needs_note=True),
        Move("revise", _("重新编制"), frozenset({StatementState.REJECTED}),
             StatementState.DRAFT, PROVIDER),
    )
}  # fmt: skip


def _side(actor, statement) -> str | None:
    """Which side `actor` acts for on this statement, or None for someone else's customer."""
    customer_id = getattr(actor, "customer_id", None)
    if customer_id is None:
        return PROVIDER
    return CUSTOMER if customer_id == statement.customer_id else None


def refusal(statement, verb: str, actor) -> Refusal | None:
    """Why `actor` may not make `verb` on the statement now, or None when they may."""
    move = MOVES.get(verb)
    if move is None:
        return Refusal("unknown_move", _("没有这个操作：%(verb)s") % {"verb": verb})
    side = _side(actor, statement)
    if side != move.by:
        if move.by == CUSTOMER:
            return Refusal("customer_only", _("只有客户可以同意或拒绝收费确认单。"))
        return Refusal("provider_only", _("只有承保方人员可以执行此操作。"))
    if statement.state not in move.sources:
        if verb in ("approve", "reject") and statement.state in (
            StatementState.APPROVED,
            StatementState.REJECTED,
        ):
            return Refusal(
                "already_decided",
                _("该确认单已经%(state)s，不能重复确认。")
                % {"state": StatementState(statement.state).label},
            )
        return Refusal(
            "state_not_allowed",
            _("确认单处于“%(state)s”状态，不能“%(move)s”。")
            % {"state": StatementState(statement.state).label, "move": move.label},
        )
    if verb == "send":
        if not statement.lines.exists():
            return Refusal("no_lines", _("请先添加费用明细。"))
        if statement.total <= 0:
            return Refusal("zero_total", _("费用合计必须大于 0。"))
    return None


def check(statement, verb: str, actor) -> Move:
    reason = refusal(statement, verb, actor)
    if reason is not None:
        raise StatementMoveRefused(str(reason.message), code=reason.code)
    return MOVES[verb]


def available_moves(statement, actor) -> list[Move]:
    return [m for verb, m in MOVES.items() if refusal(statement, verb, actor) is None]
