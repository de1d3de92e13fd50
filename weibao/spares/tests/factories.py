"""Test data for hardware support: a customer with a covered site and asset under a Gold
contract, the provider's pool with good spares, a customer pool, and a spare keeper."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from weibao.accounts.choices import Role
from weibao.spares.choices import Tier
from weibao.spares.models import PartType, SparePool, StockLocation
from weibao.spares.services.inventory import own_pool, receive_part
from weibao.testing import factories as f


@dataclass
class Hardware:
    provider: object
    customer: object
    site: object
    asset: object
    contract: object
    keeper: object
    agent: object
    customer_user: object
    board: PartType
    psu: PartType
    pool: SparePool
    shelf: StockLocation
    own: SparePool

    def stock(self, part_type: PartType, *serials: str, location=None):
        return [
            receive_part(part_type=part_type, serial_number=s, location=location or self.shelf)
            for s in serials
        ]


def make_hardware(*, contract_start: dt.date = dt.date(2026, 1, 1)) -> Hardware:
    keeper = f.UserFactory(
        username="keeper",
        full_name="郑备件管理员",
        email="keeper@example.cn",
        roles=[Role.SPARE_KEEPER],
    )
    provider = keeper.provider
    agent = f.UserFactory(provider=provider, roles=[Role.SUPPORT_AGENT])
    customer = f.CustomerFactory(provider=provider, name="华东通信", code="huadong-test")
    site = f.SiteFactory(customer=customer, name="南京端局", address="南京市鼓楼区 1 号")
    asset = f.AssetFactory(site=site, model="ZXM10", name="FSU 主控")
    contract = f.make_contract(customer, sites=[site], assets=[asset], start=contract_start)
    board = PartType.objects.create(
        part_number="FSU-MB-01",
        name="FSU 主控板",
        asset_model="ZXM10",
        catalog_price=Decimal("3200.00"),
    )
    psu = PartType.objects.create(
        part_number="PSU-48V", name="48V 电源模块", catalog_price=Decimal("860.00")
    )
    pool = SparePool.objects.create(provider=provider, tier=Tier.PROVIDER, name="南京备件中心")
    shelf = StockLocation.objects.create(pool=pool, name="A 区货架")
    customer_user = f.CustomerUserFactory(
        customer=customer, email="duty@example.cn", roles=[Role.CUSTOMER_STAFF]
    )
    return Hardware(
        provider=provider,
        customer=customer,
        site=site,
        asset=asset,
        contract=contract,
        keeper=keeper,
        agent=agent,
        customer_user=customer_user,
        board=board,
        psu=psu,
        pool=pool,
        shelf=shelf,
        own=own_pool(customer),
    )
