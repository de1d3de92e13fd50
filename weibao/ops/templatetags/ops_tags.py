"""`{% load ops_tags %}{% runner_stopped_banner %}` — the banner the service desk's people see
on every page while the runner is stopped (its last tick is more than 60 s old): escalations
and notifications are not going out. Put it once in the base template."""

from __future__ import annotations

from django import template

from ..selectors import show_runner_stopped

register = template.Library()


@register.inclusion_tag("ops/_runner_stopped.html", takes_context=True)
def runner_stopped_banner(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"stopped": user is not None and show_runner_stopped(user)}
