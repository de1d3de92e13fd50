"""Fixtures of the field-service tests (the set-up itself is in `weibao.fieldservice.testing`,
shared with the browser test)."""

import datetime as dt

import pytest

from weibao.fieldservice.testing import Field, setup_field


@pytest.fixture
def field(desk) -> Field:
    return setup_field(desk)


@pytest.fixture
def later(frozen_clock):
    """Move the frozen clock on by some minutes from the desk's 2026-03-02 03:00."""
    from weibao.core import clock

    def advance(minutes: int):
        return frozen_clock(clock.now() + dt.timedelta(minutes=minutes))

    return advance
