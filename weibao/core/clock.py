"""The one clock of Weibao. Business code asks `clock.now()`; tests set it with `frozen_at`.

Time is an input: nothing in services reads `timezone.now()` or `datetime.now()` directly.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """The current aware datetime (UTC), or the frozen one in tests."""
    return _frozen if _frozen is not None else timezone.now()


def today() -> dt.date:
    """Today's date in the server's zone (Asia/Shanghai by default)."""
    return timezone.localdate(now())


def set_now(value: dt.datetime | None) -> None:
    """Freeze the clock at `value` (aware) or, with None, let it run again."""
    global _frozen
    if value is not None and timezone.is_naive(value):
        raise ValueError("the clock needs an aware datetime")
    _frozen = value


@contextlib.contextmanager
def frozen_at(value: dt.datetime) -> Iterator[None]:
    """Run a block with the clock frozen at `value`."""
    previous = _frozen
    set_now(value)
    try:
        yield
    finally:
        set_now(previous)
