"""Keyset pages for `GET /api/tickets/` (`?cursor=`), in the order `?ordering=` names:
`{count, count_capped, next, previous, results}` (`count` exact up to a cap, then the cap
with `count_capped: true`) where `next`/`previous` are links holding a cursor. A page
far down costs what the first costs; a ticket that moves while a client pages is not shown
twice or skipped because of an offset. The order itself is `weibao.tickets.queue`'s."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from weibao.tickets import queue

DEFAULT_ORDERING = "-reported_at"


class TicketCursorPagination(BasePagination):
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        ordering = request.query_params.get("ordering") or DEFAULT_ORDERING
        if ordering not in queue.ORDERINGS:  # the filterset refused it already
            ordering = DEFAULT_ORDERING
        try:
            self.page = queue.page(
                queryset,
                ordering,
                cursor=request.query_params.get(self.cursor_query_param, ""),
                size=self._page_size(request),
            )
        except queue.BadCursor:
            raise ValidationError({self.cursor_query_param: [_("分页位置无效。")]}) from None
        return self.page.rows

    def _page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param, "")
        if not raw:
            return queue.PAGE_SIZE
        if not raw.isdigit() or not 1 <= int(raw) <= queue.MAX_PAGE_SIZE:
            message = _("每页条数须为 1 到 %(max)s 之间的整数。") % {"max": queue.MAX_PAGE_SIZE}
            raise ValidationError({self.page_size_query_param: [message]})
        return int(raw)

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.total,
                "count_capped": self.page.total_capped,
                "next": self._link(self.page.next_cursor),
                "previous": self._link(self.page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["count", "count_capped", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "example": 123,
                    "description": "Tickets matching, counted exactly up to a cap "
                    f"(default {queue.COUNT_CAP}); beyond it, the cap itself",
                },
                "count_capped": {
                    "type": "boolean",
                    "example": False,
                    "description": "true: more tickets match than `count` (the cap); "
                    "page on with `next`",
                },
                "next": {**link, "example": "http://api.example.org/tickets/?cursor=eyJiIjowfQ"},
                "previous": link,
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The page after (or before) a row: take it from `next`/`previous`",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows a page (default {queue.PAGE_SIZE}, at most "
                f"{queue.MAX_PAGE_SIZE})",
                "schema": {"type": "integer", "minimum": 1, "maximum": queue.MAX_PAGE_SIZE},
            },
        ]
