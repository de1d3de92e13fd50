"""Querysets scoped to the user (NetBox's `restrict`): a customer's user sees only that
customer's rows; provider staff see the customers of their provider; superusers see all.

A model opts in with `objects = TenantQuerySet.as_manager()` and names the path from itself
to its customer in `tenant_path` ("" when the model *is* the customer).
"""

from __future__ import annotations

from django.db import models


def _customer_lookup(model) -> str:
    path = model.tenant_path
    return f"{path}_id" if path else "id"


def _provider_lookup(model) -> str:
    path = model.tenant_path
    return f"{path}__provider_id" if path else "provider_id"


class TenantQuerySet(models.QuerySet):
    def visible_to(self, user) -> TenantQuerySet:
        """The rows `user` may see; none for anonymous or unattached users."""
        if user is None or not user.is_authenticated:
            return self.none()
        if getattr(user, "customer_id", None):
            return self.filter(**{_customer_lookup(self.model): user.customer_id})
        if user.is_superuser:
            return self
        if getattr(user, "provider_id", None):
            return self.filter(**{_provider_lookup(self.model): user.provider_id})
        return self.none()


def customer_id_of(obj) -> int | None:
    """The customer `obj` belongs to, by the same `tenant_path` that scopes its queries: a
    customer itself, a site, an asset, a loan, a spare part (through its pool) …; for a user,
    the customer they work for (None for provider staff)."""
    if obj is None:
        return None
    path = getattr(type(obj), "tenant_path", None)
    if path is None:
        return getattr(obj, "customer_id", None)
    if path == "":
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)
