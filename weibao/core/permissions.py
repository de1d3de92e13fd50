"""The one permission check (PRM-1): does this actor hold this capability for this customer?

The matrix itself (role × capability, as data) belongs to `accounts`; this module asks the
actor (`actor.has_capability(capability, customer_id=…)`) so core depends on no app. Services
and workflow guards call `require()` where the action happens; the web, the API and the
commands therefore agree by construction. A refusal is a `PermissionRefused`: HTTP 403 with
the code `permission_denied` and the missing capability named.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from weibao.core.errors import DomainError

PERMISSION_DENIED = "permission_denied"


class PermissionRefused(DomainError):
    """The actor lacks a capability; nothing was changed."""

    code = PERMISSION_DENIED
    status = 403

    def __init__(self, message: str, *, capability: str):
        super().__init__(message)
        self.capability = capability


@dataclass(frozen=True)
class Denied:
    code: str
    message: str
    capability: str


_LABELS: dict[str, str] = {}


def register_labels(choices) -> None:
    """The owner of the vocabulary (accounts) names its capabilities for messages."""
    _LABELS.update({value: label for value, label in choices.choices})


def _label(capability: str) -> str:
    return str(_LABELS.get(capability, capability))


def can(actor, capability: str, *, customer_id: int | None = None) -> bool:
    """Whether `actor` may do `capability` (for objects of `customer_id`, when given)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return actor.has_capability(capability, customer_id=customer_id)


def refusal(actor, capability: str, *, customer_id: int | None = None) -> Denied | None:
    if can(actor, capability, customer_id=customer_id):
        return None
    return Denied(
        PERMISSION_DENIED,
        _("您没有“%(capability)s”的权限（%(code)s）。")
        % {"capability": _label(capability), "code": capability},
        capability,
    )


def require(actor, capability: str, *, customer_id: int | None = None) -> None:
    """Raise `PermissionRefused` unless `actor` holds `capability`."""
    denied = refusal(actor, capability, customer_id=customer_id)
    if denied is not None:
        raise PermissionRefused(str(denied.message), capability=capability)
