"""Helpers shared by the inspection screens. Who may do what is decided by the services and
the visit workflow (`weibao.inspections.flow`); the screens only ask it what to show."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from weibao.core import permissions
from weibao.inspections import selectors
from weibao.inspections.flow import INSPECTION_VISIT_FLOW as FLOW


def visible_visit(request, pk: int):
    """The visit if the user may see it (another customer's answers 404)."""
    return get_object_or_404(selectors.visible_visits(request.user), pk=pk)


def moves_of(visit, user) -> dict:
    """What the page offers: the moves the user may make now (by verb) and, of the others,
    those the user could make but for a reason they can act on (not for want of a role)."""
    return {
        "available": {move.verb: move for move in FLOW.available(visit, user)},
        "blocked": [(m, r) for m, r in FLOW.blocked(visit, user) if r.status != 403],
    }


def forbid_unless_allowed(visit, verb: str, user):
    """403 before parsing anything when the user may not make `verb` at all (capability or
    ownership); other refusals are left to the service, so the form can show them."""
    refusal = FLOW.refusal(visit, verb, user)
    if refusal is not None and refusal.status == 403:
        raise PermissionDenied(refusal.message)
    return refusal


def may(user, capability: str) -> bool:
    return permissions.can(user, capability)


def forbidden_if_denied(error) -> None:
    """A refusal for want of a capability (or of ownership) answers 403, like the API; other
    refusals are shown on the form."""
    if getattr(error, "status", 400) == 403:
        raise PermissionDenied(error.message) from error


def form_error(form, error) -> None:
    """Show a refused service call on the form, on its field when the form has it."""
    forbidden_if_denied(error)
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
