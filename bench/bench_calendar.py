"""Benchmark of `weibao.calendars.workdays.add_working_days` against `numpy.busday_offset`.

Run from the project root: `.venv/bin/python bench/bench_calendar.py [--n 1000000]`.

Uses the calendar in the database that WEIBAO_DATABASE_URL points to (migrations applied); if
its tables are missing or lack 2020–2026, builds the same index straight from the
chinesecalendar package (nothing is written). Prints one JSON object per line; exits 1 if the
ratio misses the target or a result differs from numpy for a reason other than the two
documented ones:

* numpy's weekmask cannot express 调休 make-up days (weekend days that are working days), so
  numpy gets Mon–Fri plus the non-working weekdays as holidays and ignores make-up days;
* `roll="forward"` first moves a start that is a day off to the next business day, while our
  start is always day 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")

import django

django.setup()

import numpy as np  # noqa: E402
from django.db import DatabaseError  # noqa: E402

from weibao.calendars import seed, workdays  # noqa: E402

FIRST, LAST_START = dt.date(2020, 1, 1), dt.date(2026, 9, 30)
MAX_N = 60
TARGET = 5.0
SEED = 20260213
ROUNDS = 3


def emit(**fields) -> None:
    print(json.dumps(fields, ensure_ascii=False), flush=True)


def load_index() -> tuple[workdays.WorkdayIndex, str]:
    """The database's index if it covers 2020–2026, else one built from the package."""
    needed = set(range(FIRST.year, 2027))
    try:
        index = workdays.current_index()
        if needed <= index.known_years:
            return index, "database"
    except DatabaseError:
        pass
    return seed.package_index(sorted(needed)), "chinesecalendar"


def make_inputs(count: int) -> list[tuple[dt.date, int]]:
    rng = random.Random(SEED)
    base, span = FIRST.toordinal(), LAST_START.toordinal() - FIRST.toordinal() + 1
    fromordinal = dt.date.fromordinal
    return [(fromordinal(base + rng.randrange(span)), rng.randint(0, MAX_N)) for _ in range(count)]


def best_seconds(run) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="number of calls")
    count = parser.parse_args().n

    index, source = load_index()
    # Pin the index so no revision check touches the database while timing.
    workdays.install_index(index)
    inputs = make_inputs(count)

    # numpy: Mon–Fri week, the non-working weekdays as holidays (make-up days are lost).
    known = [dt.date.fromordinal(index.base + i) for i in range(index.size)]
    off_weekdays = [d for i, d in enumerate(known) if d.weekday() < 5 and not index.working[i]]
    makeup_days = [d for i, d in enumerate(known) if d.weekday() >= 5 and index.working[i]]
    cal = np.busdaycalendar(weekmask="1111100", holidays=np.array(off_weekdays, "datetime64[D]"))
    years = f"{min(index.known_years)}–{max(index.known_years)}"
    np_inputs = [(np.datetime64(d, "D"), n) for d, n in inputs]

    add_working_days = workdays.add_working_days
    busday_offset = np.busday_offset

    def ours() -> None:
        for d, n in inputs:
            add_working_days(d, n)

    def numpy_per_item() -> None:
        for d, n in np_inputs:
            busday_offset(d, n, roll="forward", busdaycal=cal)

    ours_s = best_seconds(ours)
    numpy_s = best_seconds(numpy_per_item)
    ratio = numpy_s / ours_s
    emit(
        bench="calendar.add_working_days",
        calls_per_s=round(count / ours_s),
        ns_per_call=round(ours_s / count * 1e9, 1),
        n=count,
        index_source=source,
    )
    emit(
        bench="calendar.numpy_busday_offset",
        calls_per_s=round(count / numpy_s),
        ns_per_call=round(numpy_s / count * 1e9, 1),
        n=count,
        roll="forward",
        note="numpy ignores 调休 make-up days (weekmask Mon–Fri; holidays = non-working "
        f"weekdays; the {len(makeup_days)} make-up weekend days of {years} cannot be given "
        "to it)",
    )
    ok_ratio = ratio >= TARGET
    emit(bench="calendar.ratio_ours_over_numpy", value=round(ratio, 2), target=TARGET, ok=ok_ratio)

    unexplained = crosscheck(index, inputs, cal, makeup_days)
    return 0 if ok_ratio and unexplained == 0 else 1


def crosscheck(index, inputs, cal, makeup_days) -> int:
    """Compare every result with numpy's; classify the differences."""
    ours = np.array([workdays.add_working_days(d, n) for d, n in inputs], "datetime64[D]")
    starts = np.array([d for d, _ in inputs], "datetime64[D]")
    offsets = np.array([n for _, n in inputs])
    theirs = np.busday_offset(starts, offsets, roll="forward", busdaycal=cal)
    # make-up days on or before each day, to tell whether one lies in [start, result]
    first = np.datetime64(dt.date.fromordinal(index.base), "D")
    makeup = np.zeros(index.size + 1, dtype=np.int64)
    for d in makeup_days:
        makeup[d.toordinal() - index.base + 1] = 1
    makeup = np.cumsum(makeup)
    lo = (starts - first).astype(np.int64)
    hi = (np.maximum(ours, theirs) - first).astype(np.int64) + 1
    involved = makeup[hi] - makeup[lo] > 0
    start_off = ~np.array([workdays.is_working_day(d) for d, _ in inputs])
    differ = ours != theirs
    by_makeup = differ & involved
    by_roll = differ & ~involved & start_off
    # With the start a day off, roll="forward" makes numpy's n our n + 1: check it.
    rolled = [
        workdays.add_working_days(inputs[i][0], inputs[i][1] + 1) for i in np.flatnonzero(by_roll)
    ]
    roll_confirmed = bool(
        np.all(np.array(rolled, "datetime64[D]") == theirs[by_roll]) if rolled else True
    )
    plain = ~involved & ~start_off
    unexplained = int((differ & ~involved & ~start_off).sum()) + (0 if roll_confirmed else 1)
    emit(
        bench="calendar.crosscheck",
        n=len(inputs),
        equal=int((~differ).sum()),
        compared_without_makeup_or_day_off_start=int(plain.sum()),
        mismatches_without_makeup=int((differ & plain).sum()),
        mismatches_explained_by_makeup_days=int(by_makeup.sum()),
        mismatches_explained_by_roll_forward_from_day_off=int(by_roll.sum()),
        roll_forward_equals_our_n_plus_1=roll_confirmed,
        unexplained=unexplained,
        ok=unexplained == 0,
    )
    return unexplained


if __name__ == "__main__":
    sys.exit(main())
