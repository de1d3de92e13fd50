"""Fixtures shared by every test: the clock, API clients, and the two-customer world that
tenant-isolation tests use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from weibao.core import clock

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def frozen_clock():
    """Set Weibao's clock: `frozen_clock(dt.datetime(2026, 3, 1, 3, 0))` (Asia/Shanghai)."""

    def freeze(value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            value = value.replace(tzinfo=SHANGHAI)
        clock.set_now(value)
        return value

    yield freeze
    clock.set_now(None)


@pytest.fixture
def api():
    return APIClient()


@dataclass
class World:
    provider_user: object
    customer_a: object
    customer_b: object
    user_a: object
    user_b: object
    site_a: object
    site_b: object
    asset_a: object
    asset_b: object
    contract_a: object
    contract_b: object


@pytest.fixture
def world(db) -> World:
    """Two customers of one provider, each with a site, an asset and a contract, and a user."""
    from weibao.accounts.choices import Role
    from weibao.testing import factories as f

    provider_user = f.UserFactory(roles=[Role.SUPPORT_AGENT])
    customer_a = f.CustomerFactory(provider=provider_user.provider, name="甲客户")
    customer_b = f.CustomerFactory(provider=provider_user.provider, name="乙客户")
    site_a = f.SiteFactory(customer=customer_a, name="甲端局")
    site_b = f.SiteFactory(customer=customer_b, name="乙端局")
    asset_a = f.AssetFactory(site=site_a)
    asset_b = f.AssetFactory(site=site_b)
    return World(
        provider_user=provider_user,
        customer_a=customer_a,
        customer_b=customer_b,
        user_a=f.CustomerUserFactory(customer=customer_a, roles=[Role.CUSTOMER_STAFF]),
        user_b=f.CustomerUserFactory(customer=customer_b, roles=[Role.CUSTOMER_STAFF]),
        site_a=site_a,
        site_b=site_b,
        asset_a=asset_a,
        asset_b=asset_b,
        contract_a=f.make_contract(customer_a, sites=[site_a], assets=[asset_a]),
        contract_b=f.make_contract(customer_b, sites=[site_b], assets=[asset_b]),
    )
