"""Reads of the change log: an object's audit history and a site's or asset's archive."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext, pgettext

from weibao.core import event_kinds
from weibao.core.models import ChangeLog


def for_reader(entries: models.QuerySet, reader) -> models.QuerySet:
    """`entries` as `reader` may see them: everything for the provider's staff (and for no
    reader: internal callers); for a customer's user only the events of its own organisation
    whose kind's declaration lets a customer read them in histories and archives
    (`weibao.core.event_kinds`: never the internal escalation, emergency actions,
    notifications, permission changes or data repairs, PRM-1; a ticket's and a visit's events
    are told by the ticket page's own timeline, in words). Audit rows (create/update/delete)
    are never shown to a customer."""
    if reader is None or not getattr(reader, "customer_id", None):
        return entries
    return entries.filter(action=ChangeLog.Action.EVENT, customer_id=reader.customer_id).exclude(
        event_kinds.hidden_from_customers()
    )


def history_for(obj: models.Model, *, reader=None, limit: int = 200):
    """Every recorded change and event of one object that `reader` may see, newest first."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    entries = ChangeLog.objects.filter(content_type=content_type, object_id=str(obj.pk))
    return for_reader(entries, reader).select_related("actor", "content_type")[:limit]


def archive_for_site(site, *, reader=None, limit: int = 300):
    """The customer archive (客户档案) of a site: everything recorded about it and its assets."""
    entries = for_reader(ChangeLog.objects.filter(site=site), reader)
    return entries.select_related("actor", "content_type")[:limit]


def archive_for_asset(asset, *, reader=None, limit: int = 300):
    """The customer archive of one asset."""
    entries = for_reader(ChangeLog.objects.filter(asset=asset), reader)
    return entries.select_related("actor", "content_type")[:limit]


@dataclass(frozen=True)
class ChangedField:
    label: str
    before: str
    after: str


def describe_changes(entry: ChangeLog) -> list[ChangedField]:
    """The entry's changed fields with their verbose names and readable values."""
    model = entry.content_type.model_class()
    if model is None or not isinstance(entry.changes, dict):
        return []
    rows = []
    for attname, value in entry.changes.items():
        field = _field(model, attname)
        label = str(field.verbose_name) if field is not None else attname
        many = field is not None and field.many_to_many
        if many and isinstance(value, dict):  # many-to-many: {"added": [...]} / {"removed": [...]}
            verb, ids = next(iter(value.items()), ("", []))
            rows.append(ChangedField(label, "", f"{_m2m_verb(verb)} {_names(field, ids)}"))
            continue
        before, after = ([*value, None, None])[:2] if isinstance(value, list) else (None, value)
        rows.append(ChangedField(label, _display(field, before), _display(field, after)))
    return rows


def _field(model, attname: str):
    for candidate in (attname, attname.removesuffix("_id")):
        try:
            return model._meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
    return None


def _display(field, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if field is None:
        return str(value)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and field.related_model is not None:
        obj = field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj is not None else f"#{value}"
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, dict | list):  # a JSON field: its content, never a Python repr
        return _json_text(value)
    return str(value)


def _json_text(value: Any) -> str:
    """A JSON value as a reader reads it: `key: value; …` for an object, `a, b` for a list."""
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_json_text(item)}" for key, item in value.items()) or "—"
    if isinstance(value, list):
        return ", ".join(_json_text(item) for item in value) or "—"
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    return "—" if value is None else str(value)


def _names(field, ids: list) -> str:
    if field is None or field.related_model is None:
        return ", ".join(map(str, ids))
    objs = field.related_model._default_manager.filter(pk__in=ids)
    return gettext("、").join(str(o) for o in objs) or ", ".join(map(str, ids))


def _m2m_verb(verb: str) -> str:
    words = {
        "added": pgettext("change", "添加"),
        "removed": pgettext("change", "移除"),
        "cleared": pgettext("change", "清空"),
    }
    return words.get(verb, verb)
