"""The queue's filters, one set for the agent's queue page, the customer's 我的报修 and
`GET /api/tickets/`: search, stage, level, customer, site, engineer, state, dates and order.
The work is done by `weibao.tickets.queue`; this parses and validates the query string."""

from __future__ import annotations

import django_filters
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from weibao.tickets import queue
from weibao.tickets.models import Ticket

STATE_CHOICES = [
    (queue.States.OPEN, _("处理中")),
    (queue.States.RESOLVED, _("已解决")),
    (queue.States.CLOSED, _("已关闭")),
    (queue.States.ALL, _("全部")),
]
ORDERING_CHOICES = [
    ("urgency", _("紧急程度")),
    ("-reported_at", _("报告时间（新→旧）")),
    ("reported_at", _("报告时间（旧→新）")),
    ("number", _("工单号（升序）")),
    ("-number", _("工单号（降序）")),
    ("level", _("级别（高→低）")),
    ("-level", _("级别（低→高）")),
    ("id", _("编号（升序）")),
    ("-id", _("编号（降序）")),
]


class TicketQueueFilter(django_filters.FilterSet):
    """Validated filters of a ticket list; unknown values answer 400 on their field."""

    search = django_filters.CharFilter(
        method="filter_search",
        max_length=100,
        help_text="Substring of the number, caller phone or name, phenomenon, site or customer "
        "(name or code); Chinese substrings too",
    )
    state = django_filters.ChoiceFilter(
        choices=STATE_CHOICES,
        method="filter_state",
        empty_label=None,
        help_text="open (default on the queue page), resolved, closed or all (default in the API)",
    )
    open = django_filters.BooleanFilter(method="filter_open")
    engineer = django_filters.CharFilter(
        method="filter_engineer",
        max_length=20,
        validators=[RegexValidator(r"^(mine|unassigned|[1-9][0-9]{0,17})$")],
        help_text="`mine`, `unassigned`, or an engineer's user id",
    )
    reported_from = django_filters.DateFilter(
        method="filter_reported", help_text="Reported on or after this date (local)"
    )
    reported_to = django_filters.DateFilter(
        method="filter_reported", help_text="Reported on or before this date (local)"
    )
    ordering = django_filters.ChoiceFilter(
        choices=ORDERING_CHOICES,
        method="filter_ordering",
        empty_label=None,
        help_text="`urgency`: breached first (longest overdue), then the nearest deadline, "
        "then level",
    )

    class Meta:
        model = Ticket
        fields = ["customer", "site", "asset", "level", "stage", "request_type", "channel"]

    def __init__(self, data=None, *args, default_state=queue.States.ALL, **kwargs):
        self.default_state = default_state
        super().__init__(data, *args, **kwargs)

    @property
    def qs(self):
        tickets = super().qs
        if not (self.form.cleaned_data.get("state") or ""):
            tickets = queue.in_state(tickets, self.default_state)
        return tickets

    def filter_search(self, queryset, name, value):
        return queue.search(queryset, value)

    def filter_state(self, queryset, name, value):
        return queue.in_state(queryset, value)

    def filter_open(self, queryset, name, value):
        return queryset.open() if value else queryset.exclude(pk__in=queryset.open())

    def filter_engineer(self, queryset, name, value):
        return queue.assigned_to(queryset, value, user=getattr(self.request, "user", None))

    def filter_reported(self, queryset, name, value):
        if name == "reported_from":
            return queue.reported_between(queryset, value, None)
        return queue.reported_between(queryset, None, value)

    def filter_ordering(self, queryset, name, value):
        return queryset  # the keyset page orders (it needs the keys): see ordering_of()

    def ordering_of(self, default: str) -> str:
        return self.form.cleaned_data.get("ordering") or default
