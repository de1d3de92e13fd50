from django import template
from django.utils.translation import gettext, ngettext

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


@register.filter
def duration(value, until=None):
    """A length of time in words: 101 天 8 小时 from a day on, 3 小时 5 分钟 under a day,
    12 分钟 under an hour; the sign is dropped. `value` is a timedelta or seconds, or a
    moment measured to another: `{{ t.resolved_at|duration:now }}`."""
    if value is None or value == "":
        return "—"
    if until is not None and hasattr(value, "tzinfo"):
        value = until - value
    seconds = abs(int(value.total_seconds() if hasattr(value, "total_seconds") else value))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        return gettext("%(days)d 天 %(hours)d 小时") % {"days": days, "hours": hours}
    if hours:
        return gettext("%(hours)d 小时 %(minutes)d 分钟") % {"hours": hours, "minutes": rest // 60}
    return ngettext("%(n)d 分钟", "%(n)d 分钟", rest // 60) % {"n": rest // 60}


@register.filter
def countdown(due, now):
    """Time left until `due` as 剩余 h:mm:ss, or how long ago it passed as 超时 h:mm:ss; from a
    day on in days and hours (超时 101 天 8 小时). weibao.js keeps it live the same way."""
    if due is None or now is None:
        return "—"
    seconds = int((due - now).total_seconds())
    sign = gettext("剩余") if seconds >= 0 else gettext("超时")
    seconds = abs(seconds)
    if seconds >= 86400:
        return f"{sign} {duration(seconds)}"
    hours, rest = divmod(seconds, 3600)
    return f"{sign} {hours}:{rest // 60:02d}:{rest % 60:02d}"


@register.filter
def overdue(due, now) -> bool:
    return due is not None and now is not None and due < now


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
