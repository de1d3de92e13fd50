"""The columns of the callback results and complaint lists, shared by their pages and their
API exports (`GET /api/callbacks/export/`, `GET /api/complaints/export/`), and of the
surveys waiting for an answer (`GET /api/surveys/export/`)."""

from __future__ import annotations

from operator import attrgetter, methodcaller

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weibao.core.listing import Column


def _satisfied(record) -> str:
    return _("满意") if record.callback.satisfied else _("不满意")


CALLBACK_COLUMNS = (
    Column("at", gettext_lazy("回访时间"), attrgetter("callback.at"), ("callback__at",)),
    Column("ticket", gettext_lazy("工单"), attrgetter("ticket.number"), ("ticket__number",)),
    Column(
        "customer", gettext_lazy("客户"), attrgetter("ticket.customer"), ("ticket__customer__name",)
    ),
    Column("method", gettext_lazy("回访方式"), methodcaller("get_method_display"), ("method",)),
    Column("respondent", gettext_lazy("受访人"), attrgetter("respondent"), ("respondent",)),
    Column("satisfied", gettext_lazy("客户满意"), _satisfied, ("callback__satisfied",)),
    Column(
        "score",
        gettext_lazy("满意度（1–5）"),
        attrgetter("callback.score"),
        ("callback__score",),
        numeric=True,
    ),
    Column("by", gettext_lazy("回访人"), attrgetter("callback.by")),
    Column("note", gettext_lazy("回访记录"), attrgetter("callback.note")),
)


def callback_columns(user) -> tuple[Column, ...]:
    """The columns `user` reads: a customer is not given the provider's staff by name."""
    if user.customer_id:
        return tuple(c for c in CALLBACK_COLUMNS if c.key != "by")
    return CALLBACK_COLUMNS


COMPLAINT_COLUMNS = (
    Column("number", gettext_lazy("投诉"), attrgetter("number"), ("number",)),
    Column("respond", gettext_lazy("首次响应"), attrgetter("respond_due_at"), ("respond_due_at",)),
    Column(
        "state",
        gettext_lazy("状态"),
        methodcaller("get_state_display"),
        ("waiting", "respond_due_at"),
    ),
)
COMPLAINT_EXPORT = (
    Column("number", gettext_lazy("投诉编号"), attrgetter("number")),
    Column("customer", gettext_lazy("客户"), attrgetter("customer")),
    Column("site", gettext_lazy("机房"), attrgetter("site")),
    Column("received", gettext_lazy("受理时间"), attrgetter("received_at")),
    Column("channel", gettext_lazy("渠道"), methodcaller("get_channel_display")),
    Column("text", gettext_lazy("投诉内容"), attrgetter("text")),
    Column("due", gettext_lazy("首次响应截止"), attrgetter("respond_due_at")),
    Column("responded", gettext_lazy("首次响应时间"), attrgetter("first_response_at")),
    Column("state", gettext_lazy("状态"), methodcaller("get_state_display")),
    Column("owner", gettext_lazy("负责人"), attrgetter("owner")),
)


def complaint_export_columns(user) -> tuple[Column, ...]:
    """The complaint export `user` reads: a customer is not given the owner by name."""
    if user.customer_id:
        return tuple(c for c in COMPLAINT_EXPORT if c.key != "owner")
    return COMPLAINT_EXPORT


# The surveys waiting for an answer, as the survey page lists them (`GET /api/surveys/export/`).
SURVEY_COLUMNS = (
    Column("ticket", gettext_lazy("工单"), attrgetter("number")),
    Column("site", gettext_lazy("机房"), attrgetter("site")),
    Column("fault", gettext_lazy("故障现象"), attrgetter("fault_phenomenon")),
    Column("resolved", gettext_lazy("解决于"), attrgetter("resolved_at")),
)
