"""Business-time arithmetic: hand-counted examples, properties against a naive day-by-day
count over the chinesecalendar package, and refusals for years not loaded."""

import datetime as dt
import random

import chinese_calendar
import pytest

from weibao.calendars import seed
from weibao.calendars.errors import CalendarYearMissing
from weibao.calendars.workdays import (
    add_working_days,
    build_index,
    install_index,
    is_working_day,
    working_days_between,
)
from weibao.core.errors import DomainError

D = dt.date
ONE = dt.timedelta(days=1)


def naive_between(a: dt.date, b: dt.date) -> int:
    """Working days d with a < d <= b (negative if b < a), one day at a time."""
    lo, hi, sign = (a, b, 1) if a <= b else (b, a, -1)
    count, day = 0, lo + ONE
    while day <= hi:
        count += chinese_calendar.is_workday(day)
        day += ONE
    return sign * count


def naive_add(start: dt.date, n: int) -> dt.date:
    day, left, step = start, abs(n), ONE if n > 0 else -ONE
    while left:
        day += step
        left -= chinese_calendar.is_workday(day)
    return day


pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # New Year: Wed 31 Dec 2025 -> 1-3 Jan off -> Sun 4 Jan is a make-up day (1).
        (D(2025, 12, 31), 1, D(2026, 1, 4)),
        # Spring Festival: Thu 12 Feb -> Fri 13 (1), Sat 14 make-up (2), 15-23 off, Tue 24 (3).
        (D(2026, 2, 12), 3, D(2026, 2, 24)),
        # Fri 13 Feb -> 14 (1), 24 (2), 25 (3), 26 (4), 27 (5), Sat 28 make-up (6),
        # Mon 2 Mar (7), 3 (8), 4 (9), 5 (10).
        (D(2026, 2, 13), 10, D(2026, 3, 5)),
        (D(2026, 2, 13), 5, D(2026, 2, 27)),
        # National Day: Fri 18 Sep -> Sat 19 off, Sun 20 make-up (1).
        (D(2026, 9, 18), 1, D(2026, 9, 20)),
        # Wed 30 Sep -> 1-7 Oct off -> Thu 8 Oct (1).
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        # Mon 28 Sep -> 29 (1), 30 (2), Thu 8 Oct (3), Fri 9 (4), Sat 10 make-up (5).
        (D(2026, 9, 28), 5, D(2026, 10, 10)),
        # A start on a holiday counts from the next working day: 3 Oct -> 8 (1), 9 (2).
        (D(2026, 10, 3), 2, D(2026, 10, 9)),
    ],
)
def test_add_working_days_across_holidays(start, n, expected):
    assert add_working_days(start, n) == expected
    assert naive_add(start, n) == expected


@pytest.mark.parametrize("start", [D(2026, 10, 3), D(2026, 10, 8), D(2026, 10, 10)])
def test_add_zero_is_the_start_itself_even_on_a_holiday(start):
    assert add_working_days(start, 0) == start


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Thu 8 Oct back: 1-7 off -> Wed 30 Sep (1).
        (D(2026, 10, 8), -1, D(2026, 9, 30)),
        # 30 Sep (1), 29 (2), 28 (3).
        (D(2026, 10, 8), -3, D(2026, 9, 28)),
        # From a holiday: 30 Sep is the first working day before 4 Oct.
        (D(2026, 10, 4), -1, D(2026, 9, 30)),
        # Tue 24 Feb back: 15-23 off -> Sat 14 make-up (1), Fri 13 (2).
        (D(2026, 2, 24), -2, D(2026, 2, 13)),
        # Mon 5 Jan back: Sun 4 make-up (1), 1-3 off, Wed 31 Dec 2025 (2).
        (D(2026, 1, 5), -2, D(2025, 12, 31)),
    ],
)
def test_add_negative_goes_back(start, n, expected):
    assert add_working_days(start, n) == expected
    assert naive_add(start, n) == expected


def test_is_working_day_follows_the_makeup_days():
    assert is_working_day(D(2026, 10, 10)) is True  # Saturday, 调休上班
    assert is_working_day(D(2026, 10, 11)) is False  # ordinary Sunday
    assert is_working_day(D(2026, 10, 1)) is False
    assert is_working_day(D(2026, 10, 9)) is True


def test_between_examples_and_sign():
    # 30 Sep -> 8 Oct: only 8 Oct counts (a excluded, b included).
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 8)) == 1
    assert working_days_between(D(2026, 10, 8), D(2026, 9, 30)) == -1
    assert working_days_between(D(2026, 10, 1), D(2026, 10, 7)) == 0
    assert working_days_between(D(2026, 5, 6), D(2026, 5, 6)) == 0


def test_random_pairs_match_a_naive_count_and_invert_add():
    rng = random.Random(20260213)
    lo, hi = D(2004, 1, 1).toordinal(), D(2026, 12, 31).toordinal()
    for _ in range(400):
        a = D.fromordinal(rng.randint(lo, hi))
        b = D.fromordinal(min(hi, max(lo, a.toordinal() + rng.randint(-120, 120))))
        assert working_days_between(a, b) == naive_between(a, b), (a, b)
    for _ in range(400):
        a = D.fromordinal(rng.randint(lo + 200, hi - 200))
        n = rng.randint(-60, 60)
        b = add_working_days(a, n)
        assert b == naive_add(a, n), (a, n)
        if n > 0:
            assert is_working_day(b)
            assert working_days_between(a, b) == n
        elif n < 0 and is_working_day(a):
            assert working_days_between(b, a) == -n


def test_missing_year_is_refused_with_both_languages():
    with pytest.raises(CalendarYearMissing) as caught:
        add_working_days(D(2027, 1, 4), 1)
    error = caught.value
    assert isinstance(error, DomainError)
    assert error.code == "calendar_year_missing"
    assert error.year == 2027
    assert "2027 年的工作日历尚未导入" in error.message
    assert "no working-day calendar for 2027" in error.message


@pytest.mark.parametrize(
    ("call", "year"),
    [
        # Dec 2026 has only 9 working days after Sunday 20 Dec: the answer would be in 2027.
        (lambda: add_working_days(D(2026, 12, 20), 30), 2027),
        (lambda: add_working_days(D(2027, 3, 1), 0), 2027),
        (lambda: add_working_days(D(2004, 1, 5), -10), 2003),
        (lambda: add_working_days(D(2003, 12, 31), 1), 2003),
        (lambda: working_days_between(D(2026, 12, 1), D(2027, 1, 5)), 2027),
        (lambda: working_days_between(D(2027, 1, 5), D(2026, 12, 1)), 2027),
        (lambda: is_working_day(D(2030, 5, 1)), 2030),
    ],
)
def test_answers_outside_loaded_years_are_refused(call, year):
    with pytest.raises(CalendarYearMissing) as caught:
        call()
    assert caught.value.year == year


def test_last_working_days_of_the_range_still_answer():
    # 31 Dec 2026 is a Thursday; 9 working days follow Sunday 20 December.
    assert add_working_days(D(2026, 12, 20), 9) == D(2026, 12, 31)


class TestGapsBetweenKnownYears:
    """2025, 2026 and 2028 known, 2027 not: nothing may cross 2027."""

    @pytest.fixture(autouse=True)
    def index_with_gap(self):
        rows = [(d, w) for year in (2025, 2026) for d, w, _ in seed.package_days(year)]
        day = D(2028, 1, 1)
        while day.year == 2028:
            rows.append((day, day.weekday() < 5))
            day += ONE
        install_index(build_index([2025, 2026, 2028], rows))

    def test_inside_a_segment_works(self):
        assert add_working_days(D(2028, 1, 3), 1) == D(2028, 1, 4)
        assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
        assert working_days_between(D(2028, 1, 1), D(2028, 1, 31)) == 21

    def test_crossing_the_gap_is_refused(self):
        for call in (
            lambda: add_working_days(D(2026, 12, 30), 300),
            lambda: add_working_days(D(2028, 1, 3), -5),
            lambda: working_days_between(D(2026, 6, 1), D(2028, 6, 1)),
            lambda: add_working_days(D(2027, 6, 1), 0),
        ):
            with pytest.raises(CalendarYearMissing) as caught:
                call()
            assert caught.value.year == 2027

    def test_a_year_with_missing_days_is_not_known(self):
        rows = [(d, w) for d, w, _ in seed.package_days(2026) if d != D(2026, 7, 1)]
        install_index(build_index([2026], rows))
        with pytest.raises(CalendarYearMissing):
            add_working_days(D(2026, 1, 5), 1)


def test_a_segment_without_working_days_answers_nothing():
    rows = [(d, w) for d, w, _ in seed.package_days(2026)]
    day = D(2028, 1, 1)
    while day.year == 2028:
        rows.append((day, False))
        day += ONE
    install_index(build_index([2026, 2028], rows))
    with pytest.raises(CalendarYearMissing) as caught:
        add_working_days(D(2028, 6, 1), -1)
    assert caught.value.year == 2027
    with pytest.raises(CalendarYearMissing):
        add_working_days(D(2028, 6, 1), 1)
