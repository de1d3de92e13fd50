"""The consulting flow (OTH-4) written down: the moves a request may make.

    submitted ──draft──▶ proposal_drafted ──deliver──▶ proposal_delivered ──close──▶ closed
        │                  ▲   └─draft (edit)                │
        │                  └──────────revise (note)──────────┘
        └──withdraw (note)──▶ closed   (also from proposal_drafted)

Drafting and delivering are the provider's; the customer may ask for a revision, accept
(close) or withdraw. A refused move raises `ConsultingMoveRefused` and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from weibao.core.errors import DomainError
from weibao.library.choices import ConsultingState as S


class ConsultingMoveRefused(DomainError):
    code = "move_refused"


@dataclass(frozen=True)
class Move:
    verb: str
    label: str
    sources: frozenset[str]
    target: str
    provider_only: bool = False
    needs_note: bool = False


MOVES: dict[str, Move] = {
    m.verb: m
    for m in (
        Move("draft", _("保存方案"), frozenset({S.SUBMITTED, S.DRAFTED}), S.DRAFTED,
             provider_only=True),
        Move("deliver", _("交付方案"), frozenset({S.DRAFTED}), S.DELIVERED, provider_only=True),
        Move("revise", _("要求修改方案"), frozenset({S.DELIVERED}), S.DRAFTED, needs_note=True),
        Move("close", _("确认方案并关闭"), frozenset({S.DELIVERED}), S.CLOSED),
        Move("withdraw", _("撤销咨询"), frozenset({S.SUBMITTED, S.DRAFTED}), S.CLOSED,
             needs_note=True),
    )
}  # fmt: skip


def refusal(request, verb: str, user) -> str | None:
    """Why `user` may not make `verb` on the request now, or None when allowed."""
    move = MOVES.get(verb)
    if move is None:
        return str(_("没有这个操作。"))
    if move.provider_only and getattr(user, "customer_id", None):
        return str(_("只有服务商工程师可以“%(move)s”。") % {"move": move.label})
    if request.state not in move.sources:
        return str(
            _("咨询处于“%(state)s”状态，不能“%(move)s”。")
            % {"state": S(request.state).label, "move": move.label}
        )
    if verb == "deliver" and not request.proposal.strip():
        return str(_("请先填写改造方案再交付。"))
    return None


def check(request, verb: str, user) -> Move:
    reason = refusal(request, verb, user)
    if reason is not None:
        raise ConsultingMoveRefused(reason)
    return MOVES[verb]


def available_moves(request, user) -> list[Move]:
    return [m for verb, m in MOVES.items() if refusal(request, verb, user) is None]
