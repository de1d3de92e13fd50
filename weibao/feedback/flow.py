"""The life of a complaint (OTH-5) written down: one table of allowed moves.

    open ──respond (first response)──▶ responded ──resolve (resolution notes)──▶ resolved
                                           ▲                                      │
                                           └──decline (customer: not resolved)────┤
                                                                                  ▼
                                                  confirm (customer confirms) ──▶ closed

Provider staff respond and resolve. Only the customer closes a complaint: a user of the
customer confirms in the portal, or provider staff record the customer's confirmation with
how it was given. A refused move raises `ComplaintMoveRefused` and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from weibao.core.errors import DomainError
from weibao.feedback.choices import ComplaintState


class ComplaintMoveRefused(DomainError):
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
    customer_may: bool  # a customer user may make it (for their own complaint)
    provider_may: bool  # provider staff may make it (confirm/decline: on the customer's word)


MOVES: dict[str, Move] = {
    m.verb: m
    for m in (
        Move("respond", _("首次响应"), frozenset({ComplaintState.OPEN}),
             ComplaintState.RESPONDED, customer_may=False, provider_may=True),
        Move("resolve", _("处理完成，请客户确认"), frozenset({ComplaintState.RESPONDED}),
             ComplaintState.RESOLVED, customer_may=False, provider_may=True),
        Move("confirm", _("客户确认，关闭投诉"), frozenset({ComplaintState.RESOLVED}),
             ComplaintState.CLOSED, customer_may=True, provider_may=True),
        Move("decline", _("客户认为未解决"), frozenset({ComplaintState.RESOLVED}),
             ComplaintState.RESPONDED, customer_may=True, provider_may=True),
    )
}  # fmt: skip


def refusal(complaint, verb: str, actor) -> Refusal | None:
    """Why `actor` may not make `verb` on the complaint now, or None when they may."""
    move = MOVES.get(verb)
    if move is None:
        return Refusal("unknown_move", _("没有这个操作：%(verb)s") % {"verb": verb})
    customer_id = getattr(actor, "customer_id", None)
    if customer_id is not None and (customer_id != complaint.customer_id or not move.customer_may):
        return Refusal("not_allowed", _("客户只能确认或退回本单位投诉的处理结果。"))
    if customer_id is None and not move.provider_may:
        return Refusal("customer_only", _("只有客户可以执行此操作。"))
    if complaint.state in move.sources:
        return None
    if complaint.state == ComplaintState.CLOSED:
        return Refusal("closed", _("投诉已关闭。"))
    if verb == "confirm":
        return Refusal(
            "not_resolved_yet", _("投诉尚未处理完成，不能确认关闭；客户确认处理结果后才能关闭。")
        )
    if verb == "resolve" and complaint.state == ComplaintState.OPEN:
        return Refusal("response_required", _("请先记录首次响应。"))
    return Refusal(
        "state_not_allowed",
        _("投诉处于“%(state)s”状态，不能“%(move)s”。")
        % {"state": ComplaintState(complaint.state).label, "move": move.label},
    )


def check(complaint, verb: str, actor) -> Move:
    reason = refusal(complaint, verb, actor)
    if reason is not None:
        raise ComplaintMoveRefused(str(reason.message), code=reason.code)
    return MOVES[verb]


def available_moves(complaint, actor) -> list[Move]:
    return [m for verb, m in MOVES.items() if refusal(complaint, verb, actor) is None]
