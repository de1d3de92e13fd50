"""Event sentences stored as a message id plus parameters, rendered in the reader's language.

A domain event's sentence is written once and read by people in either language, so the
change log keeps what the sentence is made of, not only how it read in Chinese::

    record_event(
        ticket,
        kind=TicketEvent.STAGE,
        message=event_text("已派工 %(engineer)s，预计 %(eta)s 到达", engineer=name, eta=eta),
    )

(`makemessages` collects the first argument of `event_text`, see the core's command)

stores `message_id` (the msgid), `message_params` (the parameters as JSON) and, as before,
`message` — the sentence in Chinese, for search, exports and older readers. `ChangeLog.text`
renders the sentence again in the active language and time zone; rows written before (no
`message_id`) keep their stored text.

Parameters are stored as JSON nodes, so what is itself translatable is rendered at read time:

- a plain string or number: as given (names, numbers, free text the user typed);
- a choice member (`Level.L2`, `Stage.EMERGENCY`): its code, rendered through its choices'
  label (`{"choice": "weibao.tickets.choices:Level", "value": "L2"}`); a model field's value
  with choices, `field_choice(line, "kind")` (what `get_kind_display()` shows):
  `{"field": "billing.StatementLine.kind", "value": "part"}`;
- a translatable text (another `event_text(...)`, or a `gettext_lazy` string):
  `{"text": msgid, "params": {...}}`;
- a datetime: ISO, rendered as local time ("2026-01-05 14:30") in the reader's time zone;
  a date: ISO, rendered as "2026-01-05";
- a list of any of these: rendered joined with the language's list separator ("、" / ", ").
"""

from __future__ import annotations

import datetime as dt
import decimal
import importlib
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop


class EventText:
    """A sentence of an event: a msgid and its parameters; `str()` renders it in the active
    language."""

    def __init__(self, msgid: str, params: dict[str, Any] | None = None) -> None:
        # a `gettext_lazy` label (e.g. a move's) is kept as its msgid, not as today's language
        lazy = _lazy_msgid(msgid) if isinstance(msgid, Promise) else None
        self.msgid = lazy if lazy is not None else str(msgid)
        self.params = {name: encode(value) for name, value in (params or {}).items()}

    def __str__(self) -> str:
        return render(self.msgid, self.params)

    def __repr__(self) -> str:
        return f"EventText({self.msgid!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EventText):
            return (self.msgid, self.params) == (other.msgid, other.params)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.msgid)

    def in_chinese(self) -> str:
        """The sentence as it reads in the site's language (stored in `ChangeLog.message`)."""
        with translation.override(settings.LANGUAGE_CODE):
            return str(self)


def event_text(msgid: str, /, **params: Any) -> EventText:
    """The sentence `msgid` with `params`, translated when read (`makemessages` collects
    `msgid`; a msgid chosen elsewhere is marked with `gettext_noop`)."""
    return EventText(msgid, params)


class FieldChoice:
    """The value of a model field with choices, read as its label (`field_choice`)."""

    def __init__(self, model: type[models.Model], field: str, value: Any) -> None:
        self.path = f"{model._meta.label}.{field}"
        self.value = value


def field_choice(instance: models.Model, field: str) -> FieldChoice:
    """`instance.<field>` as its choice label in the reader's language (`get_<field>_display`)."""
    return FieldChoice(type(instance), field, getattr(instance, field))


def with_note(
    text: EventText | str, note: EventText | str | None, msgid: str | None = None
) -> EventText | str:
    """`text` followed by `note` (what the user typed, or another sentence) when there is one
    ("…。note" / "…. note"; `msgid` for another joint, naming the parts `event` and `note`)."""
    if not isinstance(note, EventText):
        note = (note or "").strip()
    if not note:
        return text
    return EventText(msgid or gettext_noop("%(event)s。%(note)s"), {"event": text, "note": note})


def followed_by(text: EventText | str, more: EventText | str | None) -> EventText | str:
    """`text` followed by a further clause `more` when there is one ("…；more" / "…; more")."""
    return with_note(text, more, gettext_noop("%(event)s；%(note)s"))


# --- storing ---------------------------------------------------------------------------------


def _choice_path(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _lazy_msgid(value: Promise) -> str | None:
    """The msgid of a `gettext_lazy` string, or None for other lazy values."""
    try:
        func, args, kwargs = value.__reduce__()[1][:3]
    except (TypeError, ValueError, IndexError):
        return None
    if func is gettext and len(args) == 1 and not kwargs and isinstance(args[0], str):
        return args[0]
    return None


def encode(value: Any) -> Any:
    """The JSON node stored for one parameter (see the module's docstring)."""
    if isinstance(value, EventText):
        return {"text": value.msgid, "params": value.params}
    if isinstance(value, FieldChoice):
        return {"field": value.path, "value": value.value}
    if isinstance(value, models.Choices):
        return {"choice": _choice_path(type(value)), "value": value.value}
    if isinstance(value, Promise):
        msgid = _lazy_msgid(value)
        return {"text": msgid, "params": {}} if msgid is not None else str(value)
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, list | tuple):
        return {"list": [encode(item) for item in value]}
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {"value": value}  # opaque data, shown as stored
    return str(value)


# --- reading ---------------------------------------------------------------------------------


def _choice_label(path: str, value: Any) -> str:
    try:
        module, _sep, qualname = path.partition(":")
        cls: Any = importlib.import_module(module)
        for part in qualname.split("."):
            cls = getattr(cls, part)
        return str(cls(value).label)
    except (ImportError, AttributeError, ValueError):
        return str(value)  # a code no longer known reads as the code


def _field_label(path: str, value: Any) -> str:
    from django.apps import apps

    try:
        label, _sep, field = path.rpartition(".")
        choices = dict(apps.get_model(label)._meta.get_field(field).flatchoices)
    except (LookupError, ValueError):
        return str(value)
    return str(choices.get(value, value))


def _local_datetime(iso: str) -> str:
    try:
        value = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d %H:%M")


def decode(node: Any) -> Any:
    """One stored parameter as it reads in the active language."""
    if isinstance(node, dict):
        if "text" in node:
            return render(node["text"], node.get("params") or {})
        if "field" in node:
            return _field_label(node["field"], node.get("value"))
        if "choice" in node:
            return _choice_label(node["choice"], node.get("value"))
        if "datetime" in node:
            return _local_datetime(node["datetime"])
        if "date" in node:
            return node["date"]
        if "list" in node:
            return gettext("、").join(str(decode(item)) for item in node["list"])
        if "value" in node:
            return node["value"]
    return node


def render(msgid: str, params: dict[str, Any]) -> str:
    """`gettext(msgid) % params` in the active language; if the translation's placeholders
    do not fit the parameters, the msgid's own. `ValueError` when neither fits."""
    values = {name: decode(node) for name, node in (params or {}).items()}
    for text in (gettext(msgid), msgid):
        if not values:
            if "%(" not in text:
                return text
            continue
        try:
            return text % values
        except (KeyError, TypeError, ValueError):
            continue
    raise ValueError(f"the parameters {sorted(values)} do not fit {msgid!r}")


def stored_fields(message: EventText | str) -> dict[str, Any]:
    """The change-log fields for `message`: the Chinese sentence, and for an `EventText` its
    msgid and parameters."""
    if isinstance(message, EventText):
        return {
            "message": message.in_chinese(),
            "message_id": message.msgid,
            "message_params": message.params,
        }
    return {"message": str(message), "message_id": "", "message_params": {}}
