"""Who may write spares (PRM-1), checked once in the services so web, API and commands agree.

`actor=None` is the system (the runner, the demo loader, a repair's automatic loaner): it is
not checked, as in `weibao.core.workflow`."""

from __future__ import annotations

from weibao.core import permissions


def require(actor, capability: str, *, customer_id: int | None = None) -> None:
    """Raise `PermissionRefused` unless `actor` (when a person) holds `capability`."""
    if actor is not None:
        permissions.require(actor, capability, customer_id=customer_id)
