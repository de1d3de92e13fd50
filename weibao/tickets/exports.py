"""The ticket queue as an Excel file: the rows the queue (or the customer's 我的报修) shows
for the same query string — search, filters, state and order, every page — written by
`core.listing.xlsx_download`. The filtering and the order are the queue's
(`TicketQueueFilter`, `weibao.tickets.queue`), never repeated here.

A customer's export is their own tickets only (`Ticket.objects.visible_to`) and leaves out
what a customer does not see: the next ladder step and the provider's engineer by name."""

from __future__ import annotations

from operator import attrgetter, methodcaller

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from weibao.core.listing import Column, xlsx_download
from weibao.tickets import queue
from weibao.tickets.filtersets import TicketQueueFilter
from weibao.tickets.models import Ticket

EXPORT_CHUNK = 2000


def _level(ticket) -> str:
    return ticket.level or ticket.get_request_type_display()


CUSTOMER_COLUMNS = (
    Column("number", _("工单号"), attrgetter("number")),
    Column("level", _("级别"), _level),
    Column("stage", _("阶段"), methodcaller("get_stage_display")),
    Column("customer", _("客户"), attrgetter("customer")),
    Column("site", _("机房"), attrgetter("site")),
    Column("asset", _("设备"), attrgetter("asset")),
    Column("contact", _("联系人"), attrgetter("contact_name")),
    Column("phone", _("联系电话"), attrgetter("contact_phone")),
    Column("phenomenon", _("故障现象"), attrgetter("fault_phenomenon")),
    Column("reported", _("报告时间"), attrgetter("reported_at")),
    Column("due", _("最近截止"), attrgetter("next_due")),
    Column("resolved", _("解决时间"), attrgetter("resolved_at")),
    Column("closed", _("关闭时间"), attrgetter("closed_at")),
)
STAFF_COLUMNS = (
    *CUSTOMER_COLUMNS[:11],
    Column("next_step", _("下一步升级"), attrgetter("next_step")),
    Column("engineer", _("工程师"), attrgetter("assigned_engineer")),
    *CUSTOMER_COLUMNS[11:],
)


def queue_rows(tickets, ordering: str):
    """The filtered `tickets` in the queue's `ordering` (the same index reads as its pages),
    each with its nearest deadline (`next_due`) and next ladder step (`next_step`), read in
    chunks."""
    tickets = tickets.select_related("customer", "site", "asset", "assigned_engineer")
    return queue.in_order(tickets, ordering, chunk_size=EXPORT_CHUNK)


def download(user, tickets, ordering: str) -> HttpResponse:
    """The .xlsx answer of the queue export, with the columns `user` may read."""
    columns = CUSTOMER_COLUMNS if user.customer_id else STAFF_COLUMNS
    return xlsx_download(queue_rows(tickets, ordering), columns, "tickets")


@login_required
def queue_export(request):
    """`GET /tickets/export/?<the queue's query string>`: what the queue page (or 我的报修)
    lists for the same filters, as Excel. Filters it refuses answer 400 with their message."""
    customer = bool(request.user.customer_id)
    data = request.GET.copy()
    if "q" in data:
        data.setdefault("search", data["q"])
    filters = TicketQueueFilter(
        data,
        queryset=Ticket.objects.visible_to(request.user),
        request=request,
        default_state=queue.States.ALL if customer else queue.States.OPEN,
    )
    if not filters.is_valid():
        lines = [f"{name}: {' '.join(errors)}" for name, errors in filters.errors.items()]
        return HttpResponse("\n".join(lines), status=400, content_type="text/plain")
    ordering = filters.ordering_of("-reported_at" if customer else "urgency")
    return download(request.user, filters.qs, ordering)
