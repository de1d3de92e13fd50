"""Billing fixtures: the seeded causes, a customer user of the desk's customer, and a ticket
marked out of scope with its draft statement."""

from __future__ import annotations

import pytest

from weibao.accounts.choices import Role
from weibao.testing import factories as f


@pytest.fixture
def causes(db):
    """EXC-1's causes by code (seeded by the migration; reloaded if a flush removed them)."""
    from django.apps import apps

    from weibao.billing import seed
    from weibao.billing.models import ExclusionCause

    seed.load(apps)
    return {c.code: c for c in ExclusionCause.objects.all()}


@pytest.fixture
def client_user(desk):
    """A leader of the desk's customer (客户负责人), who approves statements (PRM-1)."""
    return f.CustomerUserFactory(
        customer=desk.customer, username="duty", email="duty@example.cn",
        roles=[Role.CUSTOMER_LEADER],
    )  # fmt: skip


@pytest.fixture
def client_staff(desk):
    """A maintenance staff member of the desk's customer (客户维护人员): reads, never approves."""
    return f.CustomerUserFactory(
        customer=desk.customer, username="staff", email="staff@example.cn",
        roles=[Role.CUSTOMER_STAFF],
    )  # fmt: skip


@pytest.fixture
def draft(desk, causes):
    """A ticket at the desk's site found out of scope (lightning); its draft statement."""
    from weibao.billing import services

    ticket = desk.open(level="L3", fault_phenomenon="2 号摄像机无图像")
    exclusion = services.mark_out_of_scope(
        ticket,
        causes=[causes["accident"]],
        evidence="电源模块雷击烧毁，防雷器未接地",
        actor=desk.engineer,
    )
    return exclusion.statements.get()


def add_lines(statement, actor):
    """The hand-computed example: 450.00 + 266.66 + 85.50 + 300.00 + 124.99 = 1227.15."""
    from weibao.billing import services

    for kind, description, quantity, price, part in (
        ("labour", "现场更换电源模块（工时）", "2.5", "180.00", ""),
        ("part", "摄像机电源模块 12V/2A", "2", "133.33", "PS-12V2A"),
        ("travel", "往返交通", "1", "85.50", ""),
        ("service_fee", "技术服务费", "1", "300", ""),
        ("labour", "夜间加班（工时）", "1.25", "99.99", ""),
    ):
        services.add_line(
            statement, kind=kind, description=description, quantity=quantity,
            unit_price=price, part_number=part, actor=actor,
        )  # fmt: skip
