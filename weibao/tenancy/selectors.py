"""Whose is it: the one home of "which customer does this actor, site or asset belong to"."""

from __future__ import annotations

from weibao.core.scoping import customer_id_of
from weibao.tenancy.models import Customer

__all__ = ["customer_code_taken", "customer_id_of", "customer_of"]


def customer_of(*owners) -> Customer | None:
    """The customer of the first of `owners` that belongs to one — a customer, a site, an
    asset, a ticket, a customer's user … (None entries are skipped); None when none does."""
    for owner in owners:
        if isinstance(owner, Customer):
            return owner
        customer_id = customer_id_of(owner)
        if customer_id is not None:
            customer = getattr(owner, "customer", None)
            if isinstance(customer, Customer):
                return customer
            return Customer.objects.get(pk=customer_id)
    return None


def customer_code_taken(code: str, *, exclude_pk: int | None = None) -> bool:
    """Whether another customer has `code`, whatever its case ("HDTX" is "hdtx")."""
    return Customer.objects.filter(code__iexact=code.strip()).exclude(pk=exclude_pk).exists()
