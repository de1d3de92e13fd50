"""The columns of the alarm and incident lists: their headers, the `?sort=` keys and what the
Excel export writes — one description for the console's pages and the API's exports."""

from __future__ import annotations

from operator import attrgetter, methodcaller

from django.utils.translation import gettext_lazy as _

from weibao.core.listing import Column

ALARM_COLUMNS = (
    Column("last_seen", _("最近接收"), attrgetter("last_seen"), ("last_seen",)),
    Column("severity", _("严重程度"), methodcaller("get_severity_display"), ("severity",)),
    Column("name", _("告警名称"), attrgetter("name"), ("name",)),
    Column("customer", _("客户"), attrgetter("customer"), ("customer__name",)),
    Column("site", _("机房"), lambda a: a.site or a.site_ref, ("site__name", "site_ref")),
    Column("asset", _("设备"), lambda a: a.asset or a.asset_ref, ("asset__name", "asset_ref")),
    Column("state", _("状态"), methodcaller("get_state_display"), ("state",)),
    Column("starts_at", _("开始时间"), attrgetter("starts_at"), ("starts_at",)),
    Column("count", _("接收次数"), attrgetter("repeat_count"), ("repeat_count",), numeric=True),
    Column("source", _("来源"), attrgetter("source"), ("source__name",)),
)

INCIDENT_COLUMNS = (
    Column("opened", _("产生时间"), attrgetter("opened_at"), ("opened_at",)),
    Column("title", _("标题"), attrgetter("title"), ("title",)),
    Column("level", _("级别"), attrgetter("level"), ("level",)),
    Column("customer", _("客户"), attrgetter("customer"), ("customer__name",)),
    Column("site", _("机房"), attrgetter("site"), ("site__name",)),
    Column("state", _("状态"), methodcaller("get_state_display"), ("state",)),
    Column("alarms", _("告警数"), attrgetter("alarm_count"), ("alarm_count",), numeric=True),
    Column("firing", _("告警中"), attrgetter("firing_count"), ("firing_count",), numeric=True),
    Column("ticket", _("工单"), lambda i: i.ticket.number if i.ticket else "", ("ticket__number",)),
)
