"""One way for every list page to sort, search, page and export what it shows.

A list view describes its columns once (label, the fields a click on the header sorts by, the
value written to Excel) and hands its scoped, filtered queryset to `Listing`:

    listing = Listing(request, sites, columns=SITE_COLUMNS, default_sort="customer",
                      search_fields=("name", "code", "address"), export_name="sites")
    if listing.wants_export:
        return listing.export()
    … {"listing": listing, "page": listing.page} …

* `?sort=key` / `?sort=-key` orders by a column's whitelisted fields; an unknown key is ignored
  (the default order is used). The primary key is always the last order field, so rows with
  equal values keep one order across pages and in the export.
* `?q=` searches the given fields (case-insensitive substring, any of them).
* `?page=` pages by `PAGE_SIZE`; the paginator's count is the total shown (共 N 条).
* `?format=xlsx` answers the same rows — filters, search and order applied, all pages — as an
  Excel file with the columns' labels as headers, every cell written through
  `core.spreadsheet` so no text runs as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from weibao.core import clock, spreadsheet

PAGE_SIZE = 50
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_CHUNK = 2000


@dataclass(frozen=True)
class Column:
    """A column of a list: its header, the `?sort=` key and the fields that key orders by
    (empty: the header is not sortable), and the value written to the export."""

    key: str
    label: Any
    value: Callable[[Any], Any]
    order_by: tuple[str, ...] = ()
    numeric: bool = False

    @property
    def sortable(self) -> bool:
        return bool(self.order_by)


@dataclass
class Header:
    """A column header as the template shows it: the link's `sort` value and the arrow."""

    column: Column
    next_sort: str = ""
    direction: str = ""  # "asc", "desc" or "" (not the current order)

    @property
    def label(self):
        return self.column.label


@dataclass
class Listing:
    """The rows of one list page for one request: sorted, searched, paged or exported."""

    request: Any
    queryset: QuerySet
    columns: Sequence[Column]
    default_sort: str
    search_fields: Sequence[str] = ()
    export_name: str = "list"
    # The export's columns when a page packs several values into one cell (default: `columns`).
    export_columns: Sequence[Column] | None = None
    page_size: int = PAGE_SIZE
    sort: str = field(init=False, default="")
    q: str = field(init=False, default="")

    def __post_init__(self) -> None:
        params = self.request.GET
        self.q = params.get("q", "").strip()
        if self.q and self.search_fields:
            match = Q()
            for name in self.search_fields:
                match |= Q(**{f"{name}__icontains": self.q})
            self.queryset = self.queryset.filter(match)
        self.sort = self._known_sort(params.get("sort", "")) or self.default_sort
        self.queryset = self.queryset.order_by(*self._order_fields(self.sort))

    def _column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key and c.sortable), None)

    def _known_sort(self, value: str) -> str:
        return value if self._column(value.removeprefix("-")) else ""

    def _order_fields(self, sort: str) -> list[str]:
        descending = sort.startswith("-")
        column = self._column(sort.removeprefix("-"))
        names = [*(column.order_by if column else ()), "pk"]
        return [f"-{name.removeprefix('-')}" if descending else name for name in names]

    @property
    def headers(self) -> list[Header]:
        current = self.sort.removeprefix("-")
        descending = self.sort.startswith("-")
        headers = []
        for column in self.columns:
            header = Header(column)
            if column.sortable:
                if column.key == current:
                    header.direction = "desc" if descending else "asc"
                    header.next_sort = column.key if descending else f"-{column.key}"
                else:
                    header.next_sort = column.key
            headers.append(header)
        return headers

    @property
    def page(self):
        if not hasattr(self, "_page"):
            paginator = Paginator(self.queryset, self.page_size)
            self._page = paginator.get_page(self.request.GET.get("page"))
        return self._page

    @property
    def total(self) -> int:
        return self.page.paginator.count

    @property
    def wants_export(self) -> bool:
        return self.request.GET.get("format") == "xlsx"

    def export(self) -> HttpResponse:
        """Every row of the list (all pages, same filters and order) as an .xlsx download."""
        return xlsx_download(
            self.queryset.iterator(chunk_size=EXPORT_CHUNK),
            self.export_columns or self.columns,
            self.export_name,
        )


def xlsx_download(rows: Iterable[Any], columns: Sequence[Column], name: str) -> HttpResponse:
    """`rows` as an .xlsx download named `<name>-<today>.xlsx`: the columns' labels as
    headers, one line per row, every cell written through `core.spreadsheet`. For lists whose
    order and pages are their own (the ticket queue) but whose export is everyone's."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = name[:31]
    spreadsheet.append(sheet, [str(column.label) for column in columns])
    for obj in rows:
        spreadsheet.append(sheet, [_cell(column.value(obj)) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    filename = f"{name}-{clock.today():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cell(value: Any) -> Any:
    """A value openpyxl can write: texts, numbers and dates as they are, anything else (a
    lazy label, a model) as its text, nothing as an empty cell."""
    if isinstance(value, dt.datetime):  # Excel has no time zones: the local wall time
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None or isinstance(value, str | int | float | bool | Decimal | dt.date):
        return value
    return str(value)
