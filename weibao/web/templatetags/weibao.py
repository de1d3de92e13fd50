from django import template
from django.utils.translation import gettext, ngettext

from weibao.core import durations
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
        n = value // 1440
        return ngettext("%(n)d 天", "%(n)d 天", n) % {"n": n}
    if value % 60 == 0:
        n = value // 60
        return ngettext("%(n)d 小时", "%(n)d 小时", n) % {"n": n}
    return ngettext("%(n)d 分钟", "%(n)d 分钟", value) % {"n": value}


@register.filter
def role_label(code):
    """A role code (engineer, center_head, …) as its name."""
    from weibao.accounts.choices import Role

    try:
        return Role(code).label
    except ValueError:
        return code


@register.filter
def translated(value):
    """A text the system stored in Chinese when it wrote the row (a unit, a default line
    description, a stock location it created) in the reader's language; anything a person
    typed is not in the catalogue and reads as stored."""
    return gettext(value) if isinstance(value, str) and value else value


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


# Lengths of time and deadlines in words (weibao.core.durations), as template filters.
register.filter("duration", durations.duration)
register.filter("countdown", durations.countdown)
register.filter("overdue", durations.overdue)


@register.filter
def can(user, capability: str) -> bool:
    """`{% if user|can:"billing.propose" %}`: the permission matrix (PRM-1) asked by a page."""
    from weibao.core import permissions

    return permissions.can(user, capability)


@register.filter
def public_name(person, reader):
    """`{{ visit.engineer|public_name:user }}`: a person as `reader` may see them (a customer
    sees the provider's people by role and surname, e.g. 维护工程师 李工)."""
    from weibao.accounts.display import public_name as name

    return name(person, reader)
