"""Feedback fixtures: a customer user of the desk's customer and a resolved ticket."""

from __future__ import annotations

import pytest

from weibao.accounts.choices import Role
from weibao.testing import factories as f


@pytest.fixture
def client_user(desk):
    """A user of the desk's customer (客户维护人员)."""
    return f.CustomerUserFactory(
        customer=desk.customer, username="duty", full_name="钱值班员",
        email="duty@example.cn", roles=[Role.CUSTOMER_STAFF],
    )  # fmt: skip


@pytest.fixture
def resolved(desk):
    """An L3 ticket at the desk's site, fixed by phone and waiting for its callback."""
    from weibao.tickets import services
    from weibao.tickets.models import ResolutionCause

    ticket = desk.open(level="L3", fault_phenomenon="端局温湿度数据不刷新")
    services.move(ticket, "start_phone", actor=desk.engineer)
    cause = ResolutionCause.objects.get(code="software_fault")
    return services.resolve(ticket, cause=cause, fix="远程重启采集模块", actor=desk.engineer)
