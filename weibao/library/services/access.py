"""Who may write the library (PRM-1), checked once in the services so the web, the API and
the commands agree: documents and third-party coverage are provider staff's with
`master.edit`; versions and patches also engineers' (`visit.work`)."""

from __future__ import annotations

from weibao.core import permissions


def require_any(actor, *capabilities: str, customer_id: int | None = None) -> None:
    """Raise `PermissionRefused` (naming the first capability) unless `actor` holds one."""
    if any(permissions.can(actor, c, customer_id=customer_id) for c in capabilities):
        return
    permissions.require(actor, capabilities[0], customer_id=customer_id)
