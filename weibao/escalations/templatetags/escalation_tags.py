"""Template tags of the escalations app, for the ticket page."""

from django import template

from weibao.escalations import selectors

register = template.Library()


@register.simple_tag
def escalation_redirects(ticket):
    """`{% escalation_redirects ticket as redirects %}`: the ticket's "无人可通知 → 已转 …"
    records (ESC-1), oldest first."""
    return selectors.redirects_for(ticket) if ticket is not None else []
