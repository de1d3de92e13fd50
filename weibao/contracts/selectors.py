"""Reads of contracts: which contract covers a customer or site on a day."""

from __future__ import annotations

import datetime as dt

from weibao.contracts.models import Contract
from weibao.core.batchreads import once, sharing


def resolve_contract(customer, site, on: dt.date) -> tuple[Contract | None, bool]:
    """The active contract covering the site (the latest started of those that name it), or
    else the customer's latest started active contract, and whether the request is covered;
    without a site, the latest started active contract. The customer's active contracts are
    read once per batch (`core.batchreads`), and in a batch the sites they name too (a
    storm's tickets are at many sites of one customer); alone, whether they name this site."""
    active = once(("contracts", customer.pk, on), lambda: _active(customer, on))
    if site is None or not active:
        return (active[0], True) if active else (None, False)
    if sharing():
        named = once(("named", customer.pk, on), lambda: _named(active))
    else:
        named = _named(active, site_ids=[site.pk])
    naming = named.get(site.pk, set())
    covering = next((contract for contract in active if contract.pk in naming), None)
    return (covering, True) if covering is not None else (active[0], False)


def _active(customer, on: dt.date) -> list[Contract]:
    """The customer's contracts in force on `on`, the latest started first (sorted here: a
    customer has a few, and Django compiles an ORDER BY beside select_related's many columns
    at a cost far above the query's)."""
    contracts = Contract.objects.filter(customer=customer, start_date__lte=on, end_date__gte=on)
    return sorted(contracts.select_related("policy"), key=lambda c: (c.start_date, c.pk),
                  reverse=True)  # fmt: skip


def _named(contracts: list[Contract], *, site_ids=None) -> dict[int, set[int]]:
    """Which of `contracts` name each site they name (of `site_ids`, when given)."""
    rows = Contract.sites.through.objects.filter(contract_id__in=[c.pk for c in contracts])
    if site_ids is not None:
        rows = rows.filter(site_id__in=site_ids)
    named: dict[int, set[int]] = {}
    for site_id, contract_id in rows.values_list("site_id", "contract_id"):
        named.setdefault(site_id, set()).add(contract_id)
    return named
