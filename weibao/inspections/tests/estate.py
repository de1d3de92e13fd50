"""A covered customer with a monitoring center, a core room and end offices, and the people
who plan and inspect — for the inspections tests and the browser test."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass
class Estate:
    customer: object
    center: object
    core: object
    offices: list
    contract: object
    planner: object
    engineer: object
    customer_user: object

    @property
    def sites(self):
        return [self.center, self.core, *self.offices]


def build_estate(*, start: dt.date, offices: int = 6, number: str | None = None) -> Estate:
    from weibao.accounts.choices import Role
    from weibao.sites.models import SiteKind
    from weibao.testing import factories as f

    customer = f.CustomerFactory(name="华东通信")
    f.ContactFactory(customer=customer, name="孔工", role="responsible", phone="13900000003")
    f.ContactFactory(customer=customer, name="运维部", role="om_department", phone="025-86660000")
    center = f.SiteFactory(
        customer=customer, code="MC-01", name="监控中心", kind=SiteKind.MONITORING_CENTER
    )
    core = f.SiteFactory(customer=customer, code="CR-01", name="鼓楼核心机房", kind=SiteKind.CORE)
    # created out of order on purpose: the rotation must follow the codes
    codes = [f"EO-{n:02d}" for n in range(1, offices + 1)]
    ends = {
        code: f.SiteFactory(customer=customer, code=code, name=f"端局{code[-2:]}",
                            kind=SiteKind.END_OFFICE)
        for code in reversed(codes)
    }  # fmt: skip
    contract = f.make_contract(
        customer, sites=[center, core, *ends.values()], start=start, number=number
    )
    provider = customer.provider
    return Estate(
        customer=customer,
        center=center,
        core=core,
        offices=[ends[c] for c in codes],
        contract=contract,
        planner=f.UserFactory(
            username="planner", provider=provider, roles=[Role.MAINTENANCE_MANAGER],
            email="planner@example.cn",
        ),
        engineer=f.UserFactory(
            username="engineer", provider=provider, roles=[Role.ENGINEER], phone="13800000001",
            email="engineer@example.cn",
        ),
        customer_user=f.CustomerUserFactory(
            username="kong", customer=customer, roles=[Role.CUSTOMER_LEADER],
            email="kong@example.cn",
        ),
    )  # fmt: skip
