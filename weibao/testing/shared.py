"""Data built once for all the tests of a module instead of once per test.

Building the demo world takes seconds; a module whose tests all start from it builds it once:

    @pytest.fixture(scope="module")
    def demo_world(django_db_setup, django_db_blocker):
        yield from shared_data(django_db_blocker, load_demo)

The data is written inside a transaction that stays open while the module's tests run and is
rolled back after the last one, so nothing is left for the modules after it. Each test still
runs in its own savepoint inside it (pytest-django's `db`): what a test changes is undone
before the next test, exactly as with data built per test. Only for tests that are not
transactional (`transaction=True` flushes the database: it cannot run inside a transaction).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")


def shared_data(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """Run `build` in a transaction, yield what it returns while the tests run (the database
    stays blocked outside them, as usual), then roll everything back."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            value = build()
        except BaseException as exc:
            outer.__exit__(type(exc), exc, exc.__traceback__)
            raise
    try:
        yield value
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
