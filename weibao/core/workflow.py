"""The one workflow mechanism: a workflow is a table of moves over one state field.

Every flow of Weibao (tickets, repairs, statements, complaints, visits, sales, consulting,
inspection visits) is declared as a `Workflow` — a table of `Move`s plus small guard
functions — and asked the same four questions:

    wf.can(obj, verb, actor)        -> bool
    wf.check(obj, verb, actor)      -> Move, or raises MoveRefused (one coded error)
    wf.available(obj, actor)        -> the moves the actor may make now
    wf.blocked(obj, actor)          -> [(move, refusal)] for the others, with the reason

A move is refused, in this order, when the verb is unknown (`unknown_move`), the object is
in a state the move does not leave from (`wrong_state`), the actor lacks the move's
capability (`permission_denied`, HTTP 403; see `weibao.core.permissions`), or a guard says
no (its own code, e.g. `consent_required`). A refused move changes nothing.

Guards take `(obj, actor)` and return `None` (allowed) or a `Refusal`. Templates and API
answers never compare states: they render `available()` and `blocked()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from weibao.core import permissions
from weibao.core.errors import DomainError

WRONG_STATE = "wrong_state"
UNKNOWN_MOVE = "unknown_move"


class MoveRefused(DomainError):
    """A move the workflow does not allow now; `code` says why, nothing was changed."""

    code = "move_refused"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None,
                 capability: str | None = None):  # fmt: skip
        super().__init__(message, code=code)
        if status is not None:
            self.status = status
        self.capability = capability


@dataclass(frozen=True)
class Refusal:
    """Why a move is not allowed: a stable code for integrators, a message for people."""

    code: str
    message: str
    status: int = 400
    capability: str | None = None


Guard = Callable[[object, object], Refusal | None]


@dataclass(frozen=True)
class Move:
    """One row of a move table.

    `capability` names who may make the move (checked against the permission matrix);
    `needs_note` moves refuse an empty note; `button` moves need no form (one click)."""

    verb: str
    label: str
    sources: frozenset[str]
    target: str
    guard: Guard | None = None
    needs_note: bool = False
    capability: str | None = None
    button: bool = True


def sources(*states: str) -> frozenset[str]:
    return frozenset(states)


class Workflow:
    """A table of moves over `state_field` of objects whose states are `states` (choices)."""

    def __init__(
        self,
        name: str,
        *,
        state_field: str,
        states,
        moves: Iterable[Move],
        noun="",
        customer_of: Callable[[object], int | None] | None = None,
    ):
        self.name = name
        self.state_field = state_field
        self.states = states
        self.noun = noun or _("对象")
        self.moves: dict[str, Move] = {}
        for move in moves:
            if move.verb in self.moves:
                raise ValueError(f"{name}: move {move.verb!r} declared twice")
            self.moves[move.verb] = move
        self._customer_of = customer_of or (lambda obj: getattr(obj, "customer_id", None))

    def __getitem__(self, verb: str) -> Move:
        return self.moves[verb]

    def __contains__(self, verb: str) -> bool:
        return verb in self.moves

    def state_of(self, obj) -> str:
        return getattr(obj, self.state_field)

    def state_label(self, state: str) -> str:
        try:
            return str(self.states(state).label)
        except (ValueError, TypeError):
            return str(state)

    def refusal(self, obj, verb: str, actor=None, *, note: str | None = None) -> Refusal | None:
        """Why `verb` is not allowed for `obj` and `actor` now, or None when it is.

        With `actor=None` the capability is not checked (system moves: the runner, imports)."""
        move = self.moves.get(verb)
        if move is None:
            return Refusal(UNKNOWN_MOVE, _("没有这个操作：%(verb)s") % {"verb": verb})
        state = self.state_of(obj)
        if state not in move.sources:
            return Refusal(
                WRONG_STATE,
                _("%(noun)s处于“%(state)s”状态，不能“%(move)s”。")
                % {"noun": self.noun, "state": self.state_label(state), "move": move.label},
                status=409,
            )
        if actor is not None and move.capability:
            denied = permissions.refusal(actor, move.capability, customer_id=self._customer_of(obj))
            if denied is not None:
                return Refusal(denied.code, denied.message, status=403, capability=move.capability)
        if move.guard is not None:
            refused = move.guard(obj, actor)
            if refused is not None:
                return refused
        if note is not None and move.needs_note and not note.strip():
            return Refusal("note_required", _("“%(move)s”需要填写说明。") % {"move": move.label})
        return None

    def can(self, obj, verb: str, actor=None) -> bool:
        return self.refusal(obj, verb, actor) is None

    def check(self, obj, verb: str, actor=None, *, note: str | None = None) -> Move:
        """The move, or `MoveRefused` carrying the refusal's code (and 403 for a capability)."""
        reason = self.refusal(obj, verb, actor, note=note)
        if reason is not None:
            raise MoveRefused(
                str(reason.message),
                code=reason.code,
                status=reason.status,
                capability=reason.capability,
            )
        return self.moves[verb]

    def apply(self, obj, verb: str, actor=None, *, note: str | None = None) -> Move:
        """Check the move and set the object's state to its target (the caller saves)."""
        move = self.check(obj, verb, actor, note=note)
        setattr(obj, self.state_field, move.target)
        return move

    def available(self, obj, actor=None) -> list[Move]:
        return [m for m in self.moves.values() if self.refusal(obj, m.verb, actor) is None]

    def blocked(self, obj, actor=None) -> list[tuple[Move, Refusal]]:
        """Moves leaving the current state that the actor may not make now, with why.

        Moves from other states are left out: "wrong state" is no news to a person."""
        state = self.state_of(obj)
        out = []
        for move in self.moves.values():
            if state not in move.sources:
                continue
            reason = self.refusal(obj, move.verb, actor)
            if reason is not None:
                out.append((move, reason))
        return out

    def describe(self, obj, actor=None) -> dict:
        """The API's view of the object's moves: `{"allowed": [...], "blocked": [...]}`."""
        return {
            "allowed": [
                {"verb": m.verb, "label": str(m.label), "needs_note": m.needs_note}
                for m in self.available(obj, actor)
            ],
            "blocked": [
                {"verb": m.verb, "label": str(m.label), "code": r.code, "reason": str(r.message)}
                for m, r in self.blocked(obj, actor)
            ],
        }
