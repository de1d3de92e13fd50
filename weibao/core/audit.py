"""Writes the change log: automatically for every save/delete of an `AuditedModel` (so the
admin, the API, the web and the services are all covered), and explicitly for domain events
(`record_event`) such as "ticket opened" or "repair shipped".

The actor is whoever is signed in for the running request, or the user named with
`acting_as(user)` by a command or a background job.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed, post_delete, post_save

from weibao.core import clock
from weibao.core.events import EventText, stored_fields

_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("weibao_actor", default=None)
# Set inside `collected()`: the rows it holds back.
_collected: contextvars.ContextVar[_Held | None] = contextvars.ContextVar(
    "weibao_audit_collected", default=None
)


@contextlib.contextmanager
def acting_as(user_or_request: Any) -> Iterator[None]:
    """Attribute changes made in this block to a user (or to a request's user, resolved late so
    that DRF's token authentication, which runs after middleware, is honoured)."""
    token = _actor.set(user_or_request)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor():
    value = _actor.get()
    if value is None:
        return None
    user = getattr(value, "user", value) if hasattr(value, "META") else value
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name
    return value


def _field_values(instance: models.Model) -> dict[str, Any]:
    excluded = set(getattr(instance, "audit_exclude", ()))
    return {
        f.attname: _plain(getattr(instance, f.attname))
        for f in instance._meta.concrete_fields
        if f.name not in excluded and f.attname not in excluded
    }


def _row(
    instance: models.Model,
    action: str,
    *,
    changes: dict | None = None,
    message: EventText | str = "",
    kind: str = "",
    actor=None,
):
    """The (unsaved) change-log row for `instance`: the one shape shared by the single writes
    and `EventBatch`."""
    from weibao.core.models import ChangeLog

    actor = actor if actor is not None else current_actor()
    scope = dict(instance.archive_scope()) if hasattr(instance, "archive_scope") else {}
    if action == "delete":
        # The archive can't point at a row that is going away (e.g. a deleted site).
        scope.pop(instance._meta.model_name, None)
    return ChangeLog(
        at=clock.now(),
        actor=actor,
        actor_name=(actor.get_full_name() or actor.get_username()) if actor else "",
        action=action,
        kind=kind or instance._meta.model_name,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        changes=changes or {},
        **stored_fields(message),
        customer_id=scope.get("customer"),
        site_id=scope.get("site"),
        asset_id=scope.get("asset"),
    )


def _write(instance: models.Model, action: str, **fields) -> None:
    row = _row(instance, action, **fields)
    held = _collected.get()
    if held is None:
        row.save(force_insert=True)
    else:
        held.add(row)


class _Held:
    """The rows `collected()` holds back. A row written inside a savepoint opened within the
    block is kept only if that savepoint is not rolled back: its witness, a no-op
    `on_commit` callback registered in the savepoint, is dropped by Django with it (the
    documented fate of such callbacks), and `rows()` keeps the rows whose witness remains."""

    def __init__(self) -> None:
        self.depth = len(connection.savepoint_ids)
        self._rows: list[tuple[object | None, models.Model]] = []
        self._witnesses: dict[tuple, object] = {}

    def add(self, row: models.Model) -> None:
        inner = tuple(sid for sid in connection.savepoint_ids[self.depth :] if sid)
        witness = None
        if inner:
            witness = self._witnesses.get(inner)
            if witness is None:
                witness = self._witnesses[inner] = _Witness()
                transaction.on_commit(witness)
        self._rows.append((witness, row))

    def rows(self) -> list[models.Model]:
        alive = {id(entry[1]) for entry in connection.run_on_commit}
        return [row for witness, row in self._rows if witness is None or id(witness) in alive]


class _Witness:
    def __call__(self) -> None:
        """Nothing to do after the commit: its presence before it is what counts."""


@contextlib.contextmanager
def collected() -> Iterator[None]:
    """Inside the block (in a transaction), the change-log rows of saves and events are held
    back and written together (one INSERT, COPY on PostgreSQL) when it ends — still in the
    caller's transaction, so they commit or roll back with the changes they record; a row
    written in a savepoint that is rolled back is dropped with it. For a writer that changes
    many rows in one transaction (e.g. a correlation run opening tickets). Nothing inside
    may read the change log back."""
    if _collected.get() is not None or not connection.in_atomic_block:
        yield  # nested, or outside a transaction: each row is written as it comes
        return
    held = _Held()
    token = _collected.set(held)
    try:
        yield
    except BaseException:
        _collected.reset(token)
        # after an error a caller may catch, the changes recorded may stay: their rows too;
        # a broken transaction rolls back, and the rows with it
        if not connection.needs_rollback:
            with contextlib.suppress(DatabaseError):
                _insert(held.rows())
        raise
    _collected.reset(token)
    _insert(held.rows())


def _insert(rows: list) -> None:
    from weibao.core.bulk import insert

    insert(rows)


def record_event(
    subject: models.Model, *, message: EventText | str, kind: str = "", actor=None, data=None
):
    """Write a domain event about `subject` to the change log and its archive timeline.

    `message` is an `event_text(...)` (stored as msgid and parameters, read in the reader's
    language) or a plain string (stored as is, e.g. what the user typed)."""
    _write(subject, "event", message=message, kind=kind, actor=actor, changes=data or {})


class EventBatch:
    """Domain events collected for one batch and written together by `write()` (one INSERT,
    COPY on PostgreSQL) in the caller's transaction; each row as `record_event` writes it."""

    def __init__(self) -> None:
        self.rows: list = []

    def add(
        self,
        subject: models.Model,
        *,
        message: EventText | str,
        kind: str = "",
        actor=None,
        data=None,
    ) -> None:
        """Queue an event about `subject`, like `record_event(subject, ...)`."""
        self.rows.append(
            _row(subject, "event", message=message, kind=kind, actor=actor, changes=data or {})
        )

    def write(self) -> int:
        """Insert the queued events; returns how many."""
        from weibao.core.bulk import insert

        rows, self.rows = self.rows, []
        insert(rows)
        return len(rows)


def _on_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    now_values = _field_values(instance)
    if created:
        changes = {k: [None, v] for k, v in now_values.items() if v not in (None, "")}
        _write(instance, "create", changes=changes)
    else:
        before = {
            k: _plain(v)
            for k, v in getattr(instance, "_audit_snapshot", {}).items()
            if k in now_values
        }
        changes = {k: [before.get(k), v] for k, v in now_values.items() if before.get(k) != v}
        if changes:
            _write(instance, "update", changes=changes)
    instance._audit_snapshot = dict(now_values)


def record_created(instances: Iterable[models.Model]) -> None:
    """Record the creation of rows inserted without `save()` (`bulk_create`), as `save()`
    records a creation: one change-log row each, with its values."""
    for instance in instances:
        _on_save(type(instance), instance, created=True)


def set_after_create(instance: models.Model, **values: Any) -> None:
    """Set fields of a row created a moment ago, in this transaction, whose values need its
    id (a ticket's number): one UPDATE of those columns, without the rest of `save()` (its
    signals, `updated_at`: the row is new), recorded in the change log as `save()` records
    it (`_on_save` against the row's snapshot)."""
    for name, value in values.items():
        setattr(instance, name, value)
    type(instance)._base_manager.filter(pk=instance.pk).update(**values)
    if hasattr(instance, "_audit_snapshot"):  # an audited row (its creation was recorded)
        _on_save(type(instance), instance, created=False)


def _on_delete(sender, instance, **kwargs):
    _write(instance, "delete", changes={k: [v, None] for k, v in _field_values(instance).items()})


def _on_m2m(sender, instance, action, model, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    from weibao.core.models import AuditedModel

    if not isinstance(instance, AuditedModel) or (not pk_set and action != "post_clear"):
        return
    field = next(
        (f.name for f in instance._meta.many_to_many if f.remote_field.through is sender), None
    )
    if field is None:
        return
    verb = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    _write(instance, "update", changes={field: {verb: sorted(pk_set or [])}})


def connect_signals() -> None:
    from django.apps import apps

    from weibao.core.models import AuditedModel

    for model in apps.get_models():
        if issubclass(model, AuditedModel):
            post_save.connect(_on_save, sender=model, dispatch_uid=f"audit-save-{model._meta}")
            post_delete.connect(_on_delete, sender=model, dispatch_uid=f"audit-del-{model._meta}")
    m2m_changed.connect(_on_m2m, dispatch_uid="audit-m2m")
