"""Reads of contracts: which contract covers a customer or site on a day."""

from __future__ import annotations

import datetime as dt

from weibao.contracts.models import Contract
from weibao.core.batchreads import once


def resolve_contract(customer, site, on: dt.date) -> tuple[Contract | None, bool]:
    """The active contract covering the site (or, without a site, the customer's active
    contract) and whether the request is covered (read once per batch: `core.batchreads`)."""
    key = ("contract", customer.pk, site.pk if site is not None else None, on)
    return once(key, lambda: _resolve(customer, site, on))


def _resolve(customer, site, on: dt.date) -> tuple[Contract | None, bool]:
    active = Contract.objects.filter(
        customer=customer, start_date__lte=on, end_date__gte=on
    ).select_related("policy")
    if site is not None:
        covering = active.filter(sites=site).order_by("-start_date").first()
        if covering is not None:
            return covering, True
        return active.order_by("-start_date").first(), False
    contract = active.order_by("-start_date").first()
    return contract, contract is not None
