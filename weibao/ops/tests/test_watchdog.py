"""The embedded runner of `weibao serve`: a watchdog restarts the worker thread when it dies,
and gives up (logged) after too many deaths in a row."""

from __future__ import annotations

import logging
import time

import pytest

from weibao.core import due
from weibao.core.embedded import EmbeddedRunner
from weibao.ops.selectors import last_tick_at

SOURCE = "tests.flaky"


class Flaky:
    """A due source whose first `failures` calls raise."""

    def __init__(self, failures: int):
        self.failures = failures
        self.calls = 0

    def __call__(self, *, now, limit) -> int:
        self.calls += 1
        if self.calls <= self.failures:
            raise RuntimeError(f"tick {self.calls} failed")
        return 0


@pytest.fixture
def flaky():
    def register(failures: int) -> Flaky:
        source = Flaky(failures)
        due.register(SOURCE, source)
        return source

    yield register
    due._sources.pop(SOURCE, None)


def _wait_for(condition, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def _runner() -> EmbeddedRunner:
    return EmbeddedRunner(interval=0.05, backoff=0.01, max_backoff=0.05, check_every=0.01)


@pytest.mark.django_db(transaction=True)
def test_a_worker_whose_tick_raised_is_restarted(flaky, caplog):
    source = flaky(failures=2)
    runner = _runner()
    caplog.set_level(logging.ERROR, logger="weibao.core.embedded")
    runner.start()
    try:
        assert _wait_for(lambda: source.calls >= 4), source.calls
        assert runner.restarts == 2
        assert runner.is_alive() and not runner.gave_up
        assert _wait_for(lambda: last_tick_at() is not None)  # ticks again, heartbeat recorded
    finally:
        runner.stop()
        runner.join(timeout=10)
    assert not runner.is_alive()
    messages = [r.getMessage() for r in caplog.records]
    assert sum("restarting it" in m for m in messages) == 2, messages
    assert any("tick 1 failed" in m for m in messages)


@pytest.mark.django_db(transaction=True)
def test_the_watchdog_gives_up_after_too_many_deaths_in_a_row(flaky, caplog):
    source = flaky(failures=1_000)
    runner = _runner()
    runner.max_restarts = 3
    caplog.set_level(logging.ERROR, logger="weibao.core.embedded")
    runner.start()
    try:
        assert _wait_for(lambda: runner.gave_up)
        assert not runner.is_alive()
        assert runner.restarts == 3 and source.calls == 4
        assert last_tick_at() is None  # no tick completed: the staff pages will say so
    finally:
        runner.stop()
        runner.join(timeout=10)
    assert any("not restarting it" in r.getMessage() for r in caplog.records)
