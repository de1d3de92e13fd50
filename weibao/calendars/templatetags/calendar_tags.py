"""`{% load calendar_tags %}{% schedule_warning %}` — the banner administrators see on every
page from 1 November until next year's State Council schedule is imported (SLA-7). Put it
once in the base template."""

from __future__ import annotations

from django import template

from weibao.accounts.capabilities import Capability
from weibao.core import clock
from weibao.core.permissions import can

from ..selectors import schedule_missing

register = template.Library()


@register.inclusion_tag("calendars/_schedule_warning.html", takes_context=True)
def schedule_warning(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can(user, Capability.CONFIG_EDIT):
        return {"year": None}
    return {"year": schedule_missing(clock.today())}
