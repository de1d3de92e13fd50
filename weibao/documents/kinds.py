"""The registry of signed-document kinds: what each form asks for, who signs it, how it prints.

Each app declares its kinds as data in its own `kinds.py` (no imports of its services, so no
import cycle) and registers them, with their on-signed hooks, in `AppConfig.ready()`:

    # myapp/kinds.py
    SERVICE_REPORT = kinds.define(
        "service_report",
        label="技术服务报告",
        template="fieldservice/pdf/service_report.html",
        signer_roles=("responsible", "maintenance"),
        fields=[("phenomenon", "故障现象", True), ("advice", "预防建议", False)],
    )
    ALL = (SERVICE_REPORT,)

    # myapp/apps.py, ready()
    kinds.register_kinds(myapp_kinds.ALL, on_signed={"service_report": complete_aftercare})

A field is `(name, label, required)`, optionally with a fourth item of options:
`{"choices": [(value, label), ...]}` for a choice, `{"multiline": False}` for a one-line entry.
Signer roles are the customer's contact roles (`weibao.tenancy.models.ContactRole`).
`on_signed(doc, *, actor)` is called inside the signing transaction, after the document is
signed and stored — the owning app links signing to its own workflow there.

Who may sign (PRM-1): a customer's user holding `sign_capability` (default `document.sign`;
e.g. `document.approve_major` for a major-operation approval), or a provider staff member
holding `witness_capability` (default `visit.work`) who hands the phone to the customer to
sign on site. `witness_capability=None`: only the customer's own account may sign.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.tenancy.models import ContactRole


@dataclass(frozen=True)
class FormField:
    """One entry of a document's structured form."""

    name: str
    label: str  # may be a lazy translation
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    multiline: bool = True

    def display(self, value: Any) -> str:
        """The value as people read it (a choice's label, a list one item per line)."""
        if value is None or value == "":
            return ""
        if self.choices:
            return str(dict(self.choices).get(value, value))
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return str(value)


@dataclass(frozen=True)
class DocumentKind:
    """A kind of signed document: its name, PDF template, form fields and who may sign it."""

    code: str
    label: str  # may be a lazy translation
    template: str
    signer_roles: tuple[str, ...] = ()
    fields: tuple[FormField, ...] = ()
    on_signed: Callable[..., None] | None = field(default=None, compare=False)
    sign_capability: str = Capability.DOCUMENT_SIGN.value
    witness_capability: str | None = Capability.VISIT_WORK.value

    def signer_role_choices(self) -> list[tuple[str, str]]:
        labels = dict(ContactRole.choices)
        roles = self.signer_roles or tuple(labels)
        return [(role, labels.get(role, role)) for role in roles]

    def signer_role_label(self, role: str) -> str:
        return str(dict(ContactRole.choices).get(role, role))

    def rows(self, data: dict) -> list[tuple[FormField, str]]:
        """The form's fields with their values as text, in form order."""
        return [(f, f.display(data.get(f.name))) for f in self.fields]


_REGISTRY: dict[str, DocumentKind] = {}


def _field(spec: Sequence) -> FormField:
    if isinstance(spec, FormField):
        return spec
    name, label, required, *rest = spec
    options = rest[0] if rest else {}
    return FormField(
        name=name,
        label=label,
        required=bool(required),
        choices=tuple((str(v), lbl) for v, lbl in options.get("choices", ())),
        multiline=options.get("multiline", True),
    )


_DEFAULT_WITNESS = Capability.VISIT_WORK.value


def define(
    kind: str,
    *,
    label: str,
    template: str,
    signer_roles: Iterable[str] = (),
    fields: Iterable[Sequence] = (),
    on_signed: Callable[..., None] | None = None,
    sign_capability: str = Capability.DOCUMENT_SIGN.value,
    witness_capability: str | None = _DEFAULT_WITNESS,
) -> DocumentKind:
    """A kind as data (not registered yet): declare it in the app's `kinds.py`."""
    return DocumentKind(
        code=kind,
        label=label,
        template=template,
        signer_roles=tuple(signer_roles),
        fields=tuple(_field(f) for f in fields),
        on_signed=on_signed,
        sign_capability=str(sign_capability),
        witness_capability=str(witness_capability) if witness_capability else None,
    )


def register_kinds(
    definitions: Iterable[DocumentKind],
    *,
    on_signed: dict[str, Callable[..., None]] | None = None,
) -> list[DocumentKind]:
    """Register an app's declared kinds, wiring `on_signed[code]` hooks (from `ready()`)."""
    hooks = on_signed or {}
    unknown = set(hooks) - {d.code for d in definitions}
    if unknown:
        raise ValueError(f"on-signed hooks for undeclared kinds: {sorted(unknown)}")
    return [_store(replace(d, on_signed=hooks.get(d.code, d.on_signed))) for d in definitions]


def register(kind: str, **options) -> DocumentKind:
    """Declare and register one kind (the options of `define`)."""
    return _store(define(kind, **options))


def _store(definition: DocumentKind) -> DocumentKind:
    """Registering the same definition again is harmless; a different definition under a
    taken code is a programming error."""
    existing = _REGISTRY.get(definition.code)
    if existing is not None and existing != definition:
        raise ValueError(f"document kind {definition.code!r} is already registered differently")
    _REGISTRY[definition.code] = definition
    return definition


@contextmanager
def registered(*definitions: DocumentKind) -> Iterator[None]:
    """The kinds registered for the block only, then the registry as before (a test's own
    kinds, so no other test, nor a page listing the kinds, sees them)."""
    before = {d.code: _REGISTRY.get(d.code) for d in definitions}
    for definition in definitions:
        _store(definition)
    try:
        yield
    finally:
        for code, kind in before.items():
            if kind is None:
                _REGISTRY.pop(code, None)
            else:
                _REGISTRY[code] = kind


def get(kind: str) -> DocumentKind:
    """The registered kind, or `KeyError`."""
    return _REGISTRY[kind]


def choices() -> list[tuple[str, str]]:
    """(code, label) of every registered kind, for forms and filters."""
    return [(k.code, k.label) for k in _REGISTRY.values()]


def validate_kind(value: str) -> None:
    """Model-field validator: the kind must be registered."""
    if value not in _REGISTRY:
        raise ValidationError(_("未知的文档类型：%(kind)s") % {"kind": value})
