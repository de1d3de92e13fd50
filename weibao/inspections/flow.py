"""The allowed moves of an inspection visit, with their guards (one table, like the support
flow of `weibao.tickets.flow`). A refused move raises `VisitMoveRefused` with a stable code."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from weibao.core.errors import DomainError
from weibao.inspections.choices import CheckOutcome, VisitState


class VisitMoveRefused(DomainError):
    code = "visit_move_refused"


@dataclass(frozen=True)
class Move:
    label: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change


P, R, D = VisitState.PLANNED, VisitState.IN_PROGRESS, VisitState.DONE

MOVES = {
    "reschedule": Move("改期", frozenset({P}), None),
    "assign": Move("指派工程师", frozenset({P, R}), None),
    "start": Move("到场开始巡检", frozenset({P}), R),
    "record": Move("记录检查结果", frozenset({R}), None),
    "complete": Move("完成巡检", frozenset({R}), D),
    "cancel": Move("取消", frozenset({P}), VisitState.CANCELLED),
}


def refusal(visit, verb: str) -> VisitMoveRefused | None:
    """Why `verb` is not allowed for `visit` now, or None when it is."""
    move = MOVES[verb]
    if visit.state not in move.sources:
        return VisitMoveRefused(
            _("巡检当前状态为“%(state)s”，不能%(verb)s。")
            % {"state": visit.get_state_display(), "verb": move.label},
            code="wrong_state",
        )
    if verb == "complete" and pending_checks(visit):
        return VisitMoveRefused(
            _("还有 %(n)s 个检查项未记录结果。") % {"n": pending_checks(visit)},
            code="checks_pending",
        )
    return None


def can(visit, verb: str) -> bool:
    return refusal(visit, verb) is None


def check(visit, verb: str) -> None:
    """Raise the refusal if `verb` is not allowed."""
    error = refusal(visit, verb)
    if error is not None:
        raise error


def pending_checks(visit) -> int:
    return visit.checks.filter(outcome=CheckOutcome.PENDING).count()
