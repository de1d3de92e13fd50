"""Reads of the sites app."""

from __future__ import annotations

from weibao.sites.models import Site


def site_code_taken(customer_id: int, code: str, *, exclude_pk: int | None = None) -> bool:
    """Whether another site of the customer has `code`, whatever its case."""
    return (
        Site.objects.filter(customer_id=customer_id, code__iexact=code.strip())
        .exclude(pk=exclude_pk)
        .exists()
    )
