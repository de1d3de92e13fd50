"""Lengths of time and deadlines in words, in the reader's language: what the pages' template
filters (`weibao.web.templatetags.weibao`) and the apps' own row renderers both print, so a
duration reads the same everywhere."""

from __future__ import annotations

from django.utils.translation import gettext, ngettext


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


def overdue(due, now) -> bool:
    return due is not None and now is not None and due < now
