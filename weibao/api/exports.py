"""`GET <list>/export/`: a list of the API as Excel, like the list pages' `?format=xlsx`.

A list viewset mixes `ListExport` in and names the columns (the web list's, from its app's
`columns` module, so both exports read the same) and the file's name:

    class StatementViewSet(ListExport, …):
        export_columns = columns.STATEMENT_COLUMNS
        export_name = "statements"

The rows are the list's own — scoped to the user, with the list's filters, search and
ordering (`filter_queryset`) — every page, written by `core.listing.xlsx_download`. A viewset
whose columns depend on the reader (a customer's export leaves out what they do not see)
overrides `columns_for(request)`; one whose columns read annotated values (a count) adds
them in `export_rows(rows)`.
"""

from __future__ import annotations

from collections.abc import Sequence

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from weibao.core.listing import EXPORT_CHUNK, XLSX_CONTENT_TYPE, Column, xlsx_download


class ListExport:
    """Adds `GET …/export/` to a list viewset (see the module's docstring)."""

    export_columns: Sequence[Column] = ()
    export_name: str = "list"

    def columns_for(self, request) -> Sequence[Column]:
        return self.export_columns

    def export_rows(self, rows):
        """The rows as the columns read them (e.g. with the counts they show annotated)."""
        return rows

    @extend_schema(
        responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
        summary="The list as Excel: the same filters, search and ordering as the list, "
        "every page, scoped to the caller",
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def export(self, request):
        rows = self.export_rows(self.filter_queryset(self.get_queryset()))
        return xlsx_download(
            rows.iterator(chunk_size=EXPORT_CHUNK), self.columns_for(request), self.export_name
        )
