"""`{% ticket_field_service ticket %}`: the ticket page's visits and documents (state and a
PDF link each), for the integrator to place on the ticket page in one line; `|dashed` turns a
move's verb into its test id (`check_out` → `check-out`)."""

from django import template

from weibao.fieldservice.selectors import documents_for_ticket, visits_for_ticket

register = template.Library()


@register.inclusion_tag("fieldservice/_ticket_documents.html", takes_context=True)
def ticket_field_service(context, ticket):
    return {
        "ticket": ticket,
        "user": context.get("user"),
        "field_visits": visits_for_ticket(ticket),
        "field_documents": documents_for_ticket(ticket),
    }


@register.filter
def dashed(verb: str) -> str:
    return str(verb).replace("_", "-")
