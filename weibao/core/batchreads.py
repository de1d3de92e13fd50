"""Reads one batch shares: a writer that handles many rows in one transaction (a correlation
run opening two hundred tickets) enters `shared()`, and inside it `once(key, read)` reads each
key once — the contract covering a site, a policy's tables — instead of once per row. Outside
the block `once` simply reads. Only for what cannot change while the batch runs, or whose
change it need not see (it would not have seen one made a moment later either)."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Hashable, Iterator
from typing import TypeVar

T = TypeVar("T")

_store: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "weibao_batch_reads", default=None
)


@contextlib.contextmanager
def shared() -> Iterator[None]:
    """Share `once()` reads until the outermost block ends."""
    if _store.get() is not None:
        yield
        return
    token = _store.set({})
    try:
        yield
    finally:
        _store.reset(token)


def once(key: Hashable, read: Callable[[], T]) -> T:
    """`read()`, or inside `shared()` what it returned for `key` the first time."""
    store = _store.get()
    if store is None:
        return read()
    if key not in store:
        store[key] = read()
    return store[key]


def sharing() -> bool:
    """Whether reads are shared now (inside `shared()`): a reader may then read more at once
    (every site of a customer's contracts, not one) for the rest of the batch to find."""
    return _store.get() is not None
