import datetime as dt

from weibao.core import clock


def test_frozen_clock_is_what_business_code_sees(frozen_clock):
    frozen_clock(dt.datetime(2026, 2, 14, 3, 0))
    assert clock.now().isoformat() == "2026-02-14T03:00:00+08:00"
    assert clock.today() == dt.date(2026, 2, 14)


def test_clock_runs_when_not_frozen():
    first = clock.now()
    assert clock.now() >= first
    assert first.tzinfo is not None
