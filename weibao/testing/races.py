"""Real races for tests: run a piece of work in several threads released together, each on its
own database connection (PostgreSQL; SQLite serialises writers with 'database is locked')."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

import pytest
from django.db import connection, transaction

# Every racing test is bounded: a thread that has not finished by then fails the test.
TIMEOUT_SECONDS = 30


def needs_postgres() -> None:
    """Skip on SQLite: its writers do not run side by side, so there is no race to test."""
    if connection.vendor != "postgresql":
        pytest.skip("real parallel writers need PostgreSQL (WEIBAO_DATABASE_URL=postgres://…)")


def in_parallel(count: int, work: Callable[[int], object]) -> list:
    """Run `work(0)` … `work(count - 1)` in `count` threads released at once by a barrier;
    answer their results in order. An exception in a thread fails the test (nothing else is
    caught: a refusal the test expects is the work's to turn into a result)."""
    start = threading.Barrier(count, timeout=TIMEOUT_SECONDS)
    results: list = [None] * count
    errors: list = []

    def run(n: int) -> None:
        try:
            start.wait()
            results[n] = work(n)
        except BaseException as exc:  # surfaced in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a racing thread never finished"
    assert not errors, errors
    return results


@contextlib.contextmanager
def committed_on_exit(work: Callable[[], object]) -> Iterator[None]:
    """Run `work()` in a transaction of another thread (its own connection) and hold that
    transaction open — its locks held, its writes unseen — until the block ends; then it
    commits. What the block does meets another worker caught in the middle of its batch."""
    done, release, errors = threading.Event(), threading.Event(), []

    def run() -> None:
        try:
            with transaction.atomic():
                work()
                done.set()
                release.wait(TIMEOUT_SECONDS)
        except BaseException as exc:  # surfaced in the main thread
            errors.append(exc)
        finally:
            done.set()
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    done.wait(TIMEOUT_SECONDS)
    try:
        assert not errors, errors
        yield
    finally:
        release.set()
        thread.join(TIMEOUT_SECONDS)
    assert not thread.is_alive(), "the holding thread never finished"
    assert not errors, errors
