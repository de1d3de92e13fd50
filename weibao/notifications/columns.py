"""The columns of the outbox, shared by its page and `GET /api/notifications/export/`."""

from __future__ import annotations

from operator import attrgetter, methodcaller

from django.utils.translation import gettext_lazy

from weibao.core.listing import Column

OUTBOX_COLUMNS = (
    Column("created", gettext_lazy("时间"), attrgetter("created_at"), ("created_at",)),
    Column("kind", gettext_lazy("类别"), methodcaller("get_kind_display"), ("kind", "created_at")),
    Column("subject", gettext_lazy("主题"), attrgetter("subject"), ("subject",)),
    Column("channel", gettext_lazy("渠道"), methodcaller("get_channel_display"), ("channel",)),
    Column("address", gettext_lazy("接收地址"), attrgetter("address"), ("address",)),
    Column("state", gettext_lazy("状态"), methodcaller("get_state_display"), ("state",)),
    Column("attempts", gettext_lazy("失败次数"), attrgetter("attempts"), ("attempts",), True),
    Column("error", gettext_lazy("最近错误"), attrgetter("last_error")),
)
RETRY_COLUMN = Column("retry", "", lambda notification: "")  # the page's retry button
