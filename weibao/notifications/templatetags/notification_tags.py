"""Template tags of the notifications app, for pages of other apps (the ticket page)."""

from django import template

from weibao.notifications import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def failed_notifications(context, ticket):
    """`{% failed_notifications ticket as failures %}`: the ticket's notifications that failed
    for good, for provider staff (an empty list for anyone else)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if ticket is None or user is None:
        return []
    return selectors.failures_for_ticket(ticket, user)
