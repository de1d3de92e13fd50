from django import template

register = template.Library()


@register.filter
def is_number(value) -> bool:
    """Whether a table cell holds a number (right-aligned)."""
    return isinstance(value, int | float) and not isinstance(value, bool)
