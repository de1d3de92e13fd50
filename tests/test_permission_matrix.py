"""Every role × every action of the table, through the API, against the permission matrix
(PRM-1): an action is allowed (2xx) exactly when the role holds its capability in the matrix
(`accounts.RoleCapability` rows), refused (403 `permission_denied`) otherwise — 0 mismatches.

Each action runs once per role inside a savepoint that is rolled back, so every role meets
the same world; users log in with `force_authenticate` (no password hashing per case).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from weibao.accounts.capabilities import CUSTOMER_CAPABILITIES, Capability
from weibao.accounts.choices import Role
from weibao.accounts.selectors import permission_matrix

pytestmark = pytest.mark.django_db

C = Capability
ADMIN = "administrator"
CUSTOMER_ROLES = {Role.CUSTOMER_STAFF, Role.CUSTOMER_LEADER}
ROLES = [*Role.values, ADMIN]


@dataclass(frozen=True)
class Action:
    """One row of the table: what is asked, and the capability it needs."""

    name: str
    method: str
    path: Callable  # (world) -> URL
    body: Callable  # (world) -> payload
    capability: str


def _site(w, code="EO-77"):
    return {"customer": w.customer_a.pk, "name": "新端局", "code": code, "kind": "end_office",
            "address": "南京市", "latitude": "32.1", "longitude": "118.9"}  # fmt: skip


def _contract(w):
    return {"number": "WB-77", "title": "测试合同", "customer": w.customer_a.pk, "plan": "gold",
            "start_date": "2026-01-01", "end_date": "2026-12-31"}  # fmt: skip


def _policy(w):
    from weibao.contracts.policy import default_policy

    return (
        {**w.contract_a.policy.snapshot().to_dict(), "arrival_rule": "sum"}
        if hasattr(w.contract_a, "policy")
        else default_policy().to_dict()
    )


def _ticket(w):
    return {"customer": w.customer_a.pk, "site": w.site_a.pk, "fault_phenomenon": "监控中断",
            "contact_name": "钱值班员", "contact_phone": "13900000002", "level": "L3"}  # fmt: skip


ACTIONS = [
    # Master data (MASTER_EDIT)
    Action("customer.create", "post", lambda w: "/api/customers/",
           lambda w: {"name": "新客户", "code": "new"}, C.MASTER_EDIT),
    Action("customer.update", "patch", lambda w: f"/api/customers/{w.customer_a.pk}/",
           lambda w: {"notes": "改"}, C.MASTER_EDIT),
    Action("customer.delete", "delete", lambda w: f"/api/customers/{w.bare_customer.pk}/",
           lambda w: None, C.MASTER_EDIT),
    Action("site.create", "post", lambda w: "/api/sites/", _site, C.MASTER_EDIT),
    Action("site.update", "patch", lambda w: f"/api/sites/{w.site_a.pk}/",
           lambda w: {"name": "改名"}, C.MASTER_EDIT),
    Action("site.delete", "delete", lambda w: f"/api/sites/{w.bare_site.pk}/",
           lambda w: None, C.MASTER_EDIT),
    Action("asset.create", "post", lambda w: "/api/assets/",
           lambda w: {"customer": w.customer_a.pk, "site": w.site_a.pk, "category_code": "camera",
                      "name": "摄像机", "model": "X", "serial_number": "SN-X"}, C.MASTER_EDIT),
    Action("asset.update", "patch", lambda w: f"/api/assets/{w.asset_a.pk}/",
           lambda w: {"name": "改名"}, C.MASTER_EDIT),
    Action("asset.delete", "delete", lambda w: f"/api/assets/{w.asset_a.pk}/",
           lambda w: None, C.MASTER_EDIT),
    # Configuration (CONFIG_EDIT): administrators only
    Action("contract.create", "post", lambda w: "/api/contracts/", _contract, C.CONFIG_EDIT),
    Action("contract.update", "patch", lambda w: f"/api/contracts/{w.contract_a.pk}/",
           lambda w: {"title": "改"}, C.CONFIG_EDIT),
    Action("contract.delete", "delete", lambda w: f"/api/contracts/{w.bare_contract.pk}/",
           lambda w: None, C.CONFIG_EDIT),
    Action("contract.policy", "put", lambda w: f"/api/contracts/{w.contract_a.pk}/policy/",
           _policy, C.CONFIG_EDIT),
    Action("permissions.matrix", "put", lambda w: "/api/permissions/matrix/",
           lambda w: {"matrix": {"engineer": sorted(permission_matrix()["engineer"])}},
           C.CONFIG_EDIT),
    Action("part_type.price", "patch", lambda w: f"/api/spare-part-types/{w.part_type.pk}/",
           lambda w: {"catalog_price": "0.01"}, C.CONFIG_EDIT),
    Action("notification_endpoint.delete", "delete",
           lambda w: f"/api/notification-endpoints/{w.endpoint.pk}/", lambda w: None,
           C.CONFIG_EDIT),
    # Service desk
    Action("ticket.open", "post", lambda w: "/api/tickets/", _ticket, C.TICKET_OPEN),
    Action("complaint.record", "post", lambda w: "/api/complaints/",
           lambda w: {"customer": w.customer_a.pk, "text": "工程师迟到", "complainant": "冯处长"},
           C.COMPLAINT_RECORD),
    Action("ticket.level", "post", lambda w: f"/api/tickets/{w.ticket.pk}/level/",
           lambda w: {"level": "L2", "reason": "影响扩大"}, C.TICKET_CLASSIFY),
]  # fmt: skip


@pytest.fixture
def people(world):
    """One user per role: provider roles for all customers, customer roles at customer A."""
    from weibao.testing import factories as f

    users = {ADMIN: world.admin}
    for role in Role.values:
        if role in CUSTOMER_ROLES:
            users[role] = f.CustomerUserFactory(customer=world.customer_a, roles=[role])
        else:
            users[role] = f.UserFactory(provider=world.provider_user.provider, roles=[role])
    return users


@pytest.fixture
def table_world(world, people):
    from weibao.notifications.models import ChannelEndpoint
    from weibao.spares.models import PartType
    from weibao.testing import factories as f
    from weibao.tickets import services

    world.ticket = services.open_ticket(
        actor=world.admin, customer=world.customer_a, site=world.site_a, level="L3",
        channel="phone", fault_phenomenon="监控中断", contact_name="钱值班员",
        contact_phone="13900000002",
    )  # fmt: skip
    # Objects nothing refers to, so that a permitted delete can succeed.
    world.bare_customer = f.CustomerFactory(provider=world.provider_user.provider)
    world.bare_site = f.SiteFactory(customer=world.customer_a)
    world.bare_contract = f.make_contract(world.customer_a, number="C-BARE")
    world.part_type = PartType.objects.create(
        part_number="BP-1", name="主控板", catalog_price="1200.00"
    )
    world.endpoint = ChannelEndpoint.objects.create(
        name="值班群", kind="webhook", url="http://127.0.0.1:9/hook"
    )
    return world


def expected(role: str, capability: str) -> bool:
    """What the matrix says: administrators hold everything; customer roles only the
    capabilities a customer can hold at all."""
    if role == ADMIN:
        return True
    if role in CUSTOMER_ROLES and capability not in CUSTOMER_CAPABILITIES:
        return False
    return capability in permission_matrix().get(role, frozenset())


def outcome(action: Action, world, user) -> tuple[str, int, object]:
    client = APIClient()
    client.force_authenticate(user)
    with transaction.atomic():
        body = action.body(world)
        response = getattr(client, action.method)(action.path(world), body, format="json")
        transaction.set_rollback(True)
    status = response.status_code
    kind = "allowed" if 200 <= status < 300 else "refused" if status == 403 else "error"
    data = response.json() if response.content else None
    return kind, status, data


@pytest.mark.parametrize("action", ACTIONS, ids=[a.name for a in ACTIONS])
def test_every_role_gets_what_the_matrix_says(action, table_world, people):
    mismatches = []
    for role in ROLES:
        kind, status, data = outcome(action, table_world, people[role])
        want = "allowed" if expected(role, action.capability) else "refused"
        if kind != want:
            mismatches.append(f"{role}: expected {want}, got {status} {data}")
        elif kind == "refused" and data.get("code") != "permission_denied":
            mismatches.append(f"{role}: refused with {data}, not permission_denied")
        elif (
            kind == "refused"
            and role not in CUSTOMER_ROLES  # may be turned away earlier (provider-only data)
            and data.get("capability") != action.capability
        ):
            mismatches.append(f"{role}: refused without naming {action.capability}: {data}")
    assert not mismatches, f"{action.name} ({action.capability}):\n" + "\n".join(mismatches)
