"""Bulk helpers for the writers that handle thousands of rows per transaction (the runner's
due sources, the batch outbox, the batch event writer).

- `insert(rows)`: `bulk_create` for new rows of one model; on PostgreSQL with COPY, several
  times cheaper than INSERT for the rows a batch writes.
- `update_grouped(rows, fields)`: save `fields` of `rows` with one UPDATE per distinct set of
  values (a batch has few).
- `claim_ordered(queryset, limit)`: lock the first `limit` rows by `due_at` for this worker
  (SKIP LOCKED on PostgreSQL), read in that order from the table's partial index.
- `serialize(namespace, ids)`: make workers that claimed different rows of one parent (say,
  two steps of one ticket) decide about that parent one after the other.
- `hold_free(namespace, keys)`: the keys no other worker is busy with, now this one's; the
  others are left for a later round instead of waited for.
- `reserve_ids(model, count)`: primary keys for rows about to be inserted (PostgreSQL), so a
  value made from the id (a ticket's number) is in the row's one INSERT.
- `commit_without_waiting()`: the current transaction commits without waiting for the disk
  (PostgreSQL), for writes derived from rows already durable.
"""

from __future__ import annotations

import json
import operator
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from django.db import IntegrityError, connection, models, transaction
from django.db.models import F

from weibao.core.due import claim


def insert(rows: Sequence[models.Model], *, ignore_conflicts: bool = False) -> None:
    """`bulk_create(rows)` for new rows of one model, without setting their primary keys.

    On PostgreSQL the rows are written with COPY. COPY cannot skip a row that breaks a unique
    constraint: when one does, the rows are written again with `ignore_conflicts` (rare: e.g.
    the message was already in the outbox)."""
    if not rows:
        return
    model = type(rows[0])
    if connection.vendor != "postgresql":
        model.objects.bulk_create(rows, batch_size=500, ignore_conflicts=ignore_conflicts)
        return
    if not ignore_conflicts:
        _copy(model, rows)
        return
    try:
        with transaction.atomic():  # a savepoint, to carry on after a conflict
            _copy(model, rows)
    except IntegrityError:
        model.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def commit_without_waiting() -> None:
    """Let the current transaction's commit return before its WAL reaches the disk
    (PostgreSQL; SQLite is unchanged). Only for a transaction whose writes can be derived
    again from rows already committed durably: a crash can lose it (whole, never half), and
    nothing durable can depend on it, since a later durable commit flushes the WAL before it
    as well."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def reserve_ids(model: type[models.Model], count: int) -> list[int] | None:
    """`count` new primary keys of `model`, taken from its sequence in one query, in
    ascending order; None where the database has no sequence to take them from (SQLite: the
    rows get theirs when inserted). An id taken and not used is a gap, as after a rollback."""
    if connection.vendor != "postgresql" or count <= 0:
        return None
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(table), column, count],
        )
        return sorted(row[0] for row in cursor.fetchall())


def _copy(model: type[models.Model], rows: Sequence[models.Model]) -> None:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    getters = [_column_value(f) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    copy_sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,  # psycopg's errors as Django's
        cursor.copy(copy_sql) as copy,
    ):
        for row in rows:
            copy.write_row([get(row) for get in getters])


def _column_value(field: models.Field) -> Callable[[models.Model], object]:
    """What COPY writes for `field` of a row: the attribute, or for JSON its encoded text."""
    if isinstance(field, models.JSONField):

        def encoded(row):
            value = getattr(row, field.attname)
            return None if value is None else json.dumps(value, cls=field.encoder)

        return encoded
    return operator.attrgetter(field.attname)


def update_grouped(
    rows: Sequence[models.Model],
    fields: list[str],
    *,
    added: Mapping[str, Callable[[models.Model], int]] | None = None,
) -> None:
    """Save `fields` of `rows`: one UPDATE per distinct set of values. `added` names counters
    raised by an amount per row (`{"repeat_count": amount_of}`), written as the column plus
    that amount, so rows with different counts raised alike still share one UPDATE."""
    if not rows:
        return
    added = added or {}
    groups = defaultdict(list)
    for row in rows:
        values = tuple(getattr(row, name) for name in fields)
        amounts = tuple(amount(row) for amount in added.values())
        groups[values, amounts].append(row.pk)
    for (values, amounts), pks in groups.items():
        changes = dict(zip(fields, values, strict=True))
        changes.update({name: F(name) + n for name, n in zip(added, amounts, strict=True)})
        type(rows[0]).objects.filter(pk__in=pks).update(**changes)


def claim_ordered(queryset, limit: int, *, order_by: str = "due_at") -> list:
    """Claim the first `limit` rows of `queryset` by `order_by` (call inside a transaction).

    On PostgreSQL they are read in that order from the table's partial index, whatever the
    statistics say: planned from statistics taken while little was due, the query would
    otherwise read, join and sort every due row for each batch, which makes draining a
    backlog (say, after an outage) quadratic."""
    rows = claim(queryset).order_by(order_by)[:limit]
    if connection.vendor != "postgresql":
        return list(rows)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        rows = list(rows)
        cursor.execute("SET LOCAL enable_sort TO DEFAULT")
    return rows


def serialize(namespace: str, ids: Iterable[int | str]) -> None:
    """Hold a lock on each of `ids` in `namespace` until this transaction ends (call inside
    one, before reading what the decision depends on).

    Workers claim rows with SKIP LOCKED, so two of them may hold different rows of one parent
    at once (steps 1–3 of a ticket in one batch, step 4 in another) and each read the other's
    rows as still pending. A decision about the parent made from those reads ("was that the
    last step?") needs them one after the other: the second waits here until the first
    commits, and its next query sees what the first wrote. PostgreSQL advisory locks, taken in
    ascending order (two callers never wait on each other in a circle); they block no other
    writer. SQLite needs nothing: its transactions start IMMEDIATE, one writer at a time."""
    locks = sorted({_lock_id(i) for i in ids})
    if not locks or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, k) FROM unnest(%s::int[]) AS k",
            [_space(namespace), locks],
        )


def hold_free(namespace: str, keys: Iterable[int | str]) -> set:
    """Of `keys`, those no other transaction holds in `namespace`, held from now until this
    transaction ends (PostgreSQL advisory locks, tried without waiting; on SQLite, one writer
    at a time, all of them). For a worker that would otherwise wait for another's whole
    batch to commit: it leaves what the other is busy with for its next round."""
    keys = set(keys)
    if not keys or connection.vendor != "postgresql":
        return keys
    by_lock: dict[int, list] = defaultdict(list)
    for key in keys:
        by_lock[_lock_id(key)].append(key)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT k FROM unnest(%s::int[]) AS k WHERE pg_try_advisory_xact_lock(%s, k)",
            [sorted(by_lock), _space(namespace)],
        )
        return {key for (lock,) in cursor.fetchall() for key in by_lock[lock]}


def _space(namespace: str) -> int:
    """The first int of an advisory lock: the namespace's CRC-32."""
    return zlib.crc32(namespace.encode()) & 0x7FFFFFFF


def _lock_id(key: int | str) -> int:
    """The second int of an advisory lock: an id as it is, a text by its CRC-32 (two keys
    that share one only wait for each other, or are both left, now and then)."""
    if isinstance(key, int):
        return key % 2_147_483_647
    return zlib.crc32(key.encode()) & 0x7FFFFFFF
