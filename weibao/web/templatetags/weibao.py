from django import template

from weibao.core.selectors import describe_changes

register = template.Library()


@register.filter
def changed_fields(entry):
    """The readable changed fields of a change-log entry."""
    return describe_changes(entry)


@register.filter
def minutes(value):
    """Minutes as a readable duration: 30 → 30 分钟, 120 → 2 小时, 4320 → 3 天."""
    if value is None or value == "":
        return "—"
    value = int(value)
    if value % 1440 == 0:
        return f"{value // 1440} 天"
    if value % 60 == 0:
        return f"{value // 60} 小时"
    return f"{value} 分钟"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
