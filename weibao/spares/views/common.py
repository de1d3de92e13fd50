"""What the spares screens share: a refused action re-renders its page with what was typed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from weibao.core.workflow import WRONG_STATE


def staff_only(user) -> None:
    if user.customer_id:
        raise PermissionDenied


def show_error(form, error) -> None:
    """Put a refusal on its field when the form has it, else at the top of the form."""
    if form is not None and error.field in form.fields:
        form.add_error(error.field, error.message)
    elif form is not None:
        form.add_error(None, error.message)


def refused_status(error) -> int:
    """A refusal for lack of a capability is a 403 page (as the API answers); a move from the
    wrong state re-renders with 409; a refused input with 200 (the page shows the error)."""
    if getattr(error, "status", 400) == 403:
        raise PermissionDenied(error.message)
    return 409 if getattr(error, "code", "") == WRONG_STATE else 200


def may_move(workflow, obj, verb, user) -> None:
    """403 before reading the form when the user may not make this move at all (the
    service checks again, with the input)."""
    reason = workflow.refusal(obj, verb, user)
    if reason is not None and reason.status == 403:
        raise PermissionDenied(reason.message)
