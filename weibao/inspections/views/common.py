"""Helpers shared by the inspection screens."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from weibao.inspections import permissions, selectors


def visible_visit(request, pk: int):
    """The visit if the user may see it (another customer's answers 404)."""
    return get_object_or_404(selectors.visible_visits(request.user), pk=pk)


def require_planner(request) -> None:
    if not permissions.can_plan(request.user):
        raise PermissionDenied


def require_inspector(request) -> None:
    if not permissions.can_inspect(request.user):
        raise PermissionDenied


def form_error(form, error) -> None:
    """Show a refused service call on the form, on its field when the form has it."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
