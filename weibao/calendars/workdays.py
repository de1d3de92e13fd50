"""Business-time arithmetic on the Chinese working-day calendar (pure reads, O(1) per call).

Conventions
-----------
* `add_working_days(start, n)`: `start` is day 0. For n > 0 the result is the n-th working
  day after `start`; n == 0 gives `start` itself (working day or not); for n < 0 the result
  is the |n|-th working day before `start`.
* `working_days_between(a, b)`: the number of working days d with a < d <= b; negative
  (minus the count of b < d <= a) when b < a. Hence, for n >= 0,
  `working_days_between(a, add_working_days(a, n)) == n`.
* A date in a year without a `CalendarYear` row — the question's or the answer's, or any day
  in between — raises `CalendarYearMissing`. Nothing is guessed.

The index
---------
Built lazily from the database once per process and kept in memory: for every day of the
known range, `rank[i]` = working days on or before `base + i`, plus the ordered list of
working days, so each call is a couple of list lookups. Known years may have gaps (e.g.
2004–2026 and 2028): each contiguous run of known years is a *segment*, and an answer must lie
in the question's segment. Services that change the calendar call `invalidate_index()`;
changes made by other processes are picked up by re-checking a cheap revision stamp at most
every `RECHECK_SECONDS`.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .errors import CalendarYearMissing

logger = logging.getLogger(__name__)

RECHECK_SECONDS = 30.0


@dataclass(frozen=True, slots=True, eq=False)
class WorkdayIndex:
    """The precomputed calendar: see the module docstring."""

    base: int  # ordinal of position 0 (1 January of the first known year)
    size: int  # positions, up to 31 December of the last known year
    rank: list[int]  # working days on or before each position (known days only)
    working: list[int]  # 1 if the position is a working day
    segment: list[int]  # id of the run of known years holding the position, -1 if unknown
    days: list[dt.date]  # every working day, in order
    last_k: list[int]  # per position: last index into `days` within its segment (-2: unknown)
    first_k: list[int]  # per position: first index into `days` within its segment
    segment_years: list[tuple[int, int]]  # first and last year of each segment
    known_years: frozenset[int]
    stamp: Any = None  # the database revision the index was built from

    def spill_year(self, segment: int, forward: bool) -> int:
        """The unknown year an answer would fall into when it leaves `segment`."""
        first, last = self.segment_years[segment]
        return last + 1 if forward else first - 1


def build_index(
    known_years: Iterable[int], days: Iterable[tuple[dt.date, bool]], *, stamp: Any = None
) -> WorkdayIndex:
    """Build the index from the known years and (date, is working day) rows.

    Rows outside known years are ignored; a known year missing some of its days is treated as
    unknown (and logged), since its working days cannot be trusted.
    """
    years = set(known_years)
    if not years:
        return WorkdayIndex(0, 0, [], [], [], [], [], [], [], frozenset(), stamp)
    first, last = min(years), max(years)
    base = dt.date(first, 1, 1).toordinal()
    size = dt.date(last, 12, 31).toordinal() - base + 1
    working = [0] * size
    present = bytearray(size)
    for day, is_working in days:
        if day.year in years:
            i = day.toordinal() - base
            working[i] = 1 if is_working else 0
            present[i] = 1
    for year in sorted(years):
        lo = dt.date(year, 1, 1).toordinal() - base
        hi = dt.date(year, 12, 31).toordinal() - base + 1
        if present.count(1, lo, hi) != hi - lo:
            logger.warning("calendar year %s lacks day rows; treated as not imported", year)
            years.discard(year)

    segment = [-1] * size
    segment_years: list[tuple[int, int]] = []
    previous = None
    for year in range(first, last + 1):
        if year not in years:
            previous = None
            continue
        if previous is None:
            segment_years.append((year, year))
        else:
            segment_years[-1] = (segment_years[-1][0], year)
        previous = year
        lo = dt.date(year, 1, 1).toordinal() - base
        hi = dt.date(year, 12, 31).toordinal() - base + 1
        segment[lo:hi] = [len(segment_years) - 1] * (hi - lo)

    rank = [0] * size
    work_days: list[dt.date] = []
    # per segment: index into `work_days` of its first and last working day
    bounds = [[0, -1] for _ in segment_years]
    count = 0
    for i in range(size):
        seg = segment[i]
        if seg >= 0 and working[i]:
            if bounds[seg][1] < bounds[seg][0]:
                bounds[seg][0] = count
            bounds[seg][1] = count
            count += 1
            work_days.append(dt.date.fromordinal(base + i))
        else:
            working[i] = 0
        rank[i] = count
    unknown_first = len(work_days) + 1
    last_k = [bounds[seg][1] if seg >= 0 else -2 for seg in segment]
    # a segment without any working day (absurd, but possible by hand) answers nothing
    first_k = [
        bounds[seg][0] if seg >= 0 and bounds[seg][1] >= 0 else unknown_first for seg in segment
    ]
    return WorkdayIndex(
        base,
        size,
        rank,
        working,
        segment,
        work_days,
        last_k,
        first_k,
        segment_years,
        frozenset(years),
        stamp,
    )


# --- the process-wide index -------------------------------------------------------------

_lock = threading.Lock()
_index: WorkdayIndex | None = None
_check_after = 0.0  # monotonic time of the next revision check; inf for an installed index
_monotonic = time.monotonic


def _revision_stamp() -> tuple:
    from django.db.models import Count, Max, Sum

    from .models import CalendarDay, CalendarYear

    days = CalendarDay.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    years = CalendarYear.objects.aggregate(n=Count("year"), at=Max("updated_at"), s=Sum("year"))
    return (days["n"], days["at"], years["n"], years["at"], years["s"])


def _index_from_db(stamp: tuple) -> WorkdayIndex:
    from .models import CalendarDay, CalendarYear

    years = list(CalendarYear.objects.values_list("year", flat=True))
    rows = CalendarDay.objects.order_by("date").values_list("date", "is_working_day")
    return build_index(years, rows.iterator(chunk_size=5000), stamp=stamp)


def current_index() -> WorkdayIndex:
    """The index, (re)built from the database if it is missing or the calendar changed."""
    global _index, _check_after
    with _lock:
        now = _monotonic()
        index = _index
        if index is not None and now < _check_after:
            return index
        stamp = _revision_stamp()
        if index is None or index.stamp != stamp:
            index = _index_from_db(stamp)
            _index = index
        _check_after = now + RECHECK_SECONDS
        return index


def invalidate_index() -> None:
    """Forget the index; the next call rebuilds it from the database."""
    global _index, _check_after
    with _lock:
        _index = None
        _check_after = 0.0


def install_index(index: WorkdayIndex) -> None:
    """Use `index` and never consult the database until `invalidate_index()` (benchmarks,
    tests of the arithmetic)."""
    global _index, _check_after
    with _lock:
        _index = index
        _check_after = float("inf")


# --- the arithmetic -----------------------------------------------------------------------


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (before it for n < 0; `start` itself for n == 0).

    Raises `CalendarYearMissing` if `start` or the answer lies in (or beyond) an unknown year.
    """
    # The hot path of every SLA deadline: a handful of list lookups, nothing else.
    index = _index
    if index is None or _monotonic() >= _check_after:
        index = current_index()
    i = start.toordinal() - index.base
    if 0 <= i < index.size:
        if n > 0:
            k = index.rank[i] + n - 1
            if k <= index.last_k[i]:
                return index.days[k]
        elif n < 0:
            k = index.rank[i] - index.working[i] + n
            if k >= index.first_k[i]:
                return index.days[k]
        elif index.segment[i] >= 0:
            return start
    raise _missing(index, start, n)


def _missing(index: WorkdayIndex, start: dt.date, n: int) -> CalendarYearMissing:
    """The error for a refused `add_working_days`: start's year, or the year spilled into."""
    i = start.toordinal() - index.base
    if not 0 <= i < index.size or index.segment[i] < 0:
        return CalendarYearMissing(start.year)
    return CalendarYearMissing(index.spill_year(index.segment[i], n > 0))


def working_days_between(a: dt.date, b: dt.date) -> int:
    """The number of working days d with a < d <= b; minus those with b < d <= a if b < a.

    Raises `CalendarYearMissing` if a, b or any year between them is unknown.
    """
    index = _index
    if index is None or _monotonic() >= _check_after:
        index = current_index()
    i = a.toordinal() - index.base
    j = b.toordinal() - index.base
    size = index.size
    if i < 0 or i >= size or (seg := index.segment[i]) < 0:
        raise CalendarYearMissing(a.year)
    if j < 0 or j >= size or index.segment[j] < 0:
        raise CalendarYearMissing(b.year)
    if index.segment[j] != seg:
        raise CalendarYearMissing(index.spill_year(seg, j > i))
    return index.rank[j] - index.rank[i]


def is_working_day(day: dt.date) -> bool:
    """Whether `day` is a working day (Mon–Fri unless a holiday, or a 调休 make-up day)."""
    index = _index
    if index is None or _monotonic() >= _check_after:
        index = current_index()
    i = day.toordinal() - index.base
    if i < 0 or i >= index.size or index.segment[i] < 0:
        raise CalendarYearMissing(day.year)
    return index.working[i] == 1


def known_years() -> frozenset[int]:
    """The years whose schedule is loaded (complete with all their days)."""
    return current_index().known_years
