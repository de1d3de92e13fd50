"""The queue's rows, rendered in Python: the queue page is the desk's most read page (every
agent's screen refreshes it every 30 seconds) and its 50 rows cost more to render through
the template language (about 20 lookups, filters and a URL reversed per row) than the
database costs to find them. `{% queue_row t now %}` writes exactly what the row template
wrote, with the same filters (dates, countdowns, truncation) and the same escaping."""

from __future__ import annotations

import html

from django import template
from django.template.defaultfilters import truncatechars
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from weibao.core.durations import countdown, overdue
from weibao.tickets.choices import RequestType, Stage

register = template.Library()

_STAGES = dict(Stage.choices)
_REQUEST_TYPES = dict(RequestType.choices)
_NONE = "—"


def _detail_url(pk: int) -> str:
    """`{% url 'tickets:detail' pk %}`, the route reversed once (per script prefix) rather
    than once a row."""
    prefix = get_script_prefix()
    parts = _DETAIL_URLS.get(prefix)
    if parts is None:
        parts = reverse("tickets:detail", args=[_PLACEHOLDER]).split(str(_PLACEHOLDER))
        _DETAIL_URLS[prefix] = parts
    return f"{parts[0]}{pk}{parts[1]}"


_PLACEHOLDER = 9_223_372_036_854_775_807  # an id no ticket has (the largest bigint)
_DETAIL_URLS: dict[str, list[str]] = {}


def _minute(value) -> str:
    """`{{ value|date:"Y-m-d H:i" }}`: in the current time zone."""
    local = template_localtime(value)
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"


def _iso(value) -> str:
    """`{{ value|date:"c" }}`: ISO 8601 in the current time zone."""
    return template_localtime(value).isoformat()


def _countdown(due, now, *, late_class: bool) -> str:
    if not due:
        return _NONE
    late = " overdue" if late_class and overdue(due, now) else ""
    return f'<span class="countdown{late}" data-due="{_iso(due)}">{_e(countdown(due, now))}</span>'


@register.simple_tag
def queue_row(ticket, now) -> SafeString:
    """One `<tr>` of the agent's queue (tickets/queue_rows.html)."""
    t = ticket
    badge = ""
    if t.not_covered:
        badge = f' <span class="badge badge-pending">{_e(gettext("未覆盖"))}</span>'
    level, site = _level(t), _site(t)
    engineer = _e(t.assigned_engineer) if t.assigned_engineer_id else _NONE
    # every value below is escaped (_e) or is markup of our own
    return mark_safe(
        "<tr>\n"
        f'  <td><a href="{_detail_url(t.pk)}">{_e(t.number)}</a>{badge}'
        f"<br><small>{_e(truncatechars(t.fault_phenomenon, 40))}</small></td>\n"
        f"  <td>{level}</td>\n"
        f"  <td>{_e(t.customer)}<br><small>{site}</small></td>\n"
        f"  <td>{_e(_STAGES.get(t.stage, t.stage))}</td>\n"
        f"  <td>{_minute(t.reported_at)}</td>\n"
        f"  <td>{_countdown(t.next_due, now, late_class=True)}</td>\n"
        f"  <td>{_countdown(t.next_step, now, late_class=False)}</td>\n"
        f"  <td>{engineer}</td>\n"
        "</tr>"
    )


@register.simple_tag
def portal_row(ticket) -> SafeString:
    """One `<tr>` of the customer's 我的报修 (tickets/portal_list_rows.html)."""
    t = ticket
    level, site = _level(t), _site(t)
    # every value below is escaped (_e) or is markup of our own
    return mark_safe(
        f'<tr><td><a href="{_detail_url(t.pk)}">{_e(t.number)}</a>'
        f"<br><small>{_e(truncatechars(t.fault_phenomenon, 50))}</small></td>"
        f"<td>{_minute(t.reported_at)}</td><td>{site}</td><td>{level}</td>"
        f"<td>{_e(_STAGES.get(t.stage, t.stage))}</td></tr>"
    )


def _level(t) -> str:
    """The level badge, or the request type of a ticket without a level."""
    if t.level:
        return f'<span class="level level-{_e(t.level)}">{_e(t.level)}</span>'
    return _e(_REQUEST_TYPES.get(t.request_type, t.request_type))


def _site(t) -> str:
    return _e(t.site) if t.site_id else _NONE


def _e(value) -> str:
    """`{{ value }}` with autoescaping: Django's `escape` is `html.escape(str(value))`."""
    return html.escape(str(value))
