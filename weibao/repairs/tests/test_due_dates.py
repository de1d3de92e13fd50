"""RMA-3: the repaired part is due back 30 (domestic) or 60 (foreign) working days after
receipt, the receipt day being day 0, on the Chinese statutory calendar with its 调休 days.

2026 facts used below (State Council schedule):
  Spring Festival  02-15 (Sun) … 02-23 (Mon) off; Saturdays 02-14 and 02-28 are working days.
  Qingming         04-04 … 04-06 off.
  Mid-Autumn       09-25 (Fri) … 09-27 off.
  National Day     10-01 … 10-07 off; Sunday 09-20 and Saturday 10-10 are working days.
"""

import datetime as dt

import pytest

from weibao.contracts.policy import DEFAULT_TERMS
from weibao.repairs.services import due_date_for, register_repair

D = dt.date


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("received", "origin", "due"),
    [
        # Mon 02-02 + 30: 02-03..06 (4), 02-09..13 (9), Sat 02-14 调休 (10), holiday 02-15..23,
        # 02-24..27 (14), Sat 02-28 调休 (15), 03-02..06 (20), 03-09..13 (25), 03-16..20 (30).
        (D(2026, 2, 2), "domestic", D(2026, 3, 20)),
        # Received on a holiday (day 0 = 02-16): 02-24..27 (4), 02-28 (5), 03-02..27 (25),
        # 03-30, 03-31, 04-01, 04-02, 04-03 (30) — Friday before Qingming.
        (D(2026, 2, 16), "domestic", D(2026, 4, 3)),
        # Tue 09-15 + 30: 09-16..18 (3), Sun 09-20 调休 (4), 09-21..24 (8), Mid-Autumn 09-25,
        # 09-28..30 (11), National Day 10-01..07, 10-08, 10-09 (13), Sat 10-10 调休 (14),
        # 10-12..16 (19), 10-19..23 (24), 10-26..30 (29), Mon 11-02 (30).
        (D(2026, 9, 15), "domestic", D(2026, 11, 2)),
        # Tue 09-01 + 60: 09-02..04 (3), 09-07..11 (8), 09-14..18 (13), 09-20 (14),
        # 09-21..24 (18), 09-28..30 (21), 10-08..10 (24), then five full weeks 10-12..11-13
        # (49), 11-16..20 (54), 11-23..27 (59), Mon 11-30 (60).
        (D(2026, 9, 1), "foreign", D(2026, 11, 30)),
        # Fri 02-13 + 30: Sat 02-14 调休 counts (1), 02-24..27 (5), 02-28 (6), 03-02..27 (26),
        # 03-30..04-02 (30).
        (D(2026, 2, 13), "domestic", D(2026, 4, 2)),
        # Wed 09-30 + 30: 10-08, 10-09, 10-10 (3), 10-12..11-06 (23), 11-09..13 (28),
        # 11-16, 11-17 (30).
        (D(2026, 9, 30), "domestic", D(2026, 11, 17)),
    ],
)
def test_due_date_counts_working_days_across_2026_holidays(received, origin, due):
    assert due_date_for(received, origin, DEFAULT_TERMS) == (
        30 if origin == "domestic" else 60,
        due,
        None,  # official: no year awaited
    )


@pytest.mark.django_db
def test_contract_term_changes_the_number_of_working_days():
    terms = {**DEFAULT_TERMS, "repair_domestic_working_days": 5}
    # Fri 02-13: Sat 02-14 (1), 02-24, 02-25, 02-26, 02-27 (5).
    assert due_date_for(D(2026, 2, 13), "domestic", terms) == (5, D(2026, 2, 27), None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("received", "due", "year"),
    [
        # Issue 9: a year without calendar data no longer refuses the repair; the date is
        # provisional, from the statutory rules (1 January 2027 off, no 调休 assumed).
        (D(2027, 1, 5), D(2027, 2, 22), 2027),  # receipt in an unknown year; 春节 02-05..10 off
        (D(2026, 12, 1), D(2027, 1, 13), 2027),  # the due date would fall in it
        (D(2003, 6, 2), D(2003, 7, 15), 2003),  # today's rules: 端午 (06-04) off
    ],
)
def test_year_without_calendar_gives_a_provisional_date(received, due, year):
    assert due_date_for(received, "domestic", DEFAULT_TERMS) == (30, due, year)


def test_registered_repair_stores_its_due_date(hw, frozen_clock):
    frozen_clock(dt.datetime(2026, 10, 12, 9, 0))
    repair = register_repair(
        asset=hw.asset,
        fault_description="主控板无法启动",
        received_on=D(2026, 9, 15),
        actor=hw.keeper,
    )
    assert (repair.working_days, repair.due_date) == (30, D(2026, 11, 2))
    assert repair.status == "received"
    assert repair.number.startswith("RMA260915-")
    assert repair.contract == hw.contract
    hw.asset.refresh_from_db()
    assert hw.asset.status == "in_repair"
