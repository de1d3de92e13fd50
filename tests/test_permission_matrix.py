"""Every role × every action of the table, through the API, against the permission matrix
(PRM-1): an action is allowed (2xx) exactly when the role holds its capability in the matrix
(`accounts.RoleCapability` rows), refused (403 `permission_denied`) otherwise — 0 mismatches.

Each action runs once per role inside a savepoint that is rolled back, so every role meets
the same world; users log in with `force_authenticate` (no password hashing per case).

`MORE_ACTIONS` need state (set up through the services) and sit behind state or ownership
guards (dispatch, L1 emergency actions, complaint response, sales, repairs, statements…):
only the capability part is asserted there — without it 403 `permission_denied` and nothing
changes; with it never `permission_denied`.

Cases: 12 roles (the 11 roles and the administrator) × (19 `ACTIONS` + 17 `MORE_ACTIONS`)
= 228 + 204 = 432 role × action cases; the web parity (`test_permission_matrix_web.py`) adds 60.
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
    setup: Callable | None = None  # (world) -> None: state the action needs, via the services
    expect: Callable | None = (
        None  # (role, world) -> bool, when an ownership rule narrows the matrix
    )
    strict: bool = True  # False: a permitted role must only NOT get `permission_denied`
    snapshot: Callable | None = None  # (world) -> value a refused role must leave unchanged


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


def _l1_ticket(w):
    from weibao.escalations.models import EmergencyAction
    from weibao.tickets import services

    w.l1 = services.open_ticket(
        actor=w.admin, customer=w.customer_a, site=w.site_a, level="L1", channel="phone",
        fault_phenomenon="全网中断", contact_name="钱值班员", contact_phone="13900000002",
    )  # fmt: skip
    w.actions = {a.code: a for a in EmergencyAction.objects.filter(ticket=w.l1)}


def _onsite_l2(w):
    """An L2 fault whose customer confirmed on-site support, through the support flow."""
    from weibao.tickets import services

    w.l2 = services.open_ticket(
        actor=w.admin, customer=w.customer_a, site=w.site_a, level="L2", channel="phone",
        fault_phenomenon="部分监控中断", contact_name="钱值班员", contact_phone="13900000002",
    )  # fmt: skip
    for verb in ("start_phone", "go_onsite"):
        services.move(w.l2, verb, actor=w.admin)


def _complaint(w):
    from weibao.feedback import services

    w.complaint = services.record_complaint(
        actor=w.admin,
        customer=w.customer_a,
        text="工程师迟到",
        complainant="冯处长",
        channel="phone",
    )


def _visits(w):
    from weibao.fieldservice.models import Visit

    return Visit.objects.count()


def _action_state(code):
    def snap(w):
        action = w.actions[code]
        action.refresh_from_db()
        return (action.done_at, action.waived_reason, action.done_by_id)

    return snap


def _complete(code: str) -> Action:
    """Completing the L1 emergency action `code`: its owner role, or whoever completes any
    action (the maintenance manager, `emergency.any_action`)."""
    return Action(
        f"emergency.{code}.done", "post",
        lambda w: f"/api/tickets/{w.l1.pk}/emergency-actions/{code}/done/",
        lambda w: {"note": "已完成"}, C.EMERGENCY_ACTION, setup=_l1_ticket, strict=False,
        snapshot=_action_state(code),
        expect=lambda role, w: role in (ADMIN, Role.MAINTENANCE_MANAGER,
                                        w.actions[code].owner_role),
    )  # fmt: skip


EMERGENCY_CODES = [
    "notify_leadership", "dispatch_engineer", "form_emergency_team", "expert_remote",
    "form_expert_team",
]  # fmt: skip


def _count(model_path):
    def snap(w):
        from django.apps import apps

        return apps.get_model(model_path).objects.count()

    return snap


def _sale(w, *, upto=""):
    from weibao.core import clock
    from weibao.spares.services import sales

    w.sale = sales.request_sale(customer=w.customer_a, request_text="主控板 2 块", actor=w.admin)
    if upto == "contracted":
        lines = [(w.part_type, 1, "1200.00")]
        sales.propose_quote(w.sale, proposal="方案一", lines=lines, actor=w.admin)
        sales.agree_quote(w.sale, actor=w.admin)
        sales.sign_sale_contract(
            w.sale, contract_number="XS-1", signed_on=clock.today(), actor=w.admin
        )


def _sale_state(w):
    w.sale.refresh_from_db()
    return (w.sale.stage, w.sale.quotes.count(), w.sale.prepaid_on)


def _repair(w):
    from weibao.core import clock
    from weibao.repairs import services

    w.repair = services.register_repair(
        customer=w.customer_a, asset=w.asset_a, fault_description="无图像",
        received_on=clock.today(), actor=w.admin,
    )  # fmt: skip


def _sent_statement(w):
    from django.apps import apps

    from weibao.billing import seed, services
    from weibao.billing.models import ExclusionCause

    seed.load(apps)
    exclusion = services.mark_out_of_scope(
        w.ticket, causes=[ExclusionCause.objects.first()], evidence="雷击烧毁", actor=w.admin
    )
    w.statement = exclusion.statements.get()
    services.add_line(w.statement, kind="service_fee", description="技术服务费", quantity="1",
                      unit_price="300", actor=w.admin)  # fmt: skip
    services.send_statement(w.statement, actor=w.admin)


def _stage(w):
    w.ticket.refresh_from_db()
    return w.ticket.stage


MORE_ACTIONS = [
    # The support flow (ticket.work); the `_own` guard may turn a holder away (not for permission).
    Action("ticket.move.start_phone", "post", lambda w: f"/api/tickets/{w.ticket.pk}/move/",
           lambda w: {"action": "start_phone"}, C.TICKET_WORK, strict=False, snapshot=_stage),
    # Dispatch (ticket.dispatch): the service office manager only in L1.
    Action("visit.dispatch.L1", "post", lambda w: "/api/field-visits/",
           lambda w: {"ticket": w.l1.pk, "engineer": w.people[Role.ENGINEER].pk},
           C.TICKET_DISPATCH, setup=_l1_ticket, strict=False, snapshot=_visits),
    Action("visit.dispatch.L2", "post", lambda w: "/api/field-visits/",
           lambda w: {"ticket": w.l2.pk, "engineer": w.people[Role.ENGINEER].pk},
           C.TICKET_DISPATCH, setup=_onsite_l2, strict=False, snapshot=_visits,
           expect=lambda role, w: role != Role.SERVICE_OFFICE_MANAGER
           and expected(role, C.TICKET_DISPATCH)),
    # L1 emergency actions (owner role or maintenance manager) and aftercare waivers.
    *[_complete(code) for code in EMERGENCY_CODES],
    Action("emergency.aftercare.waive", "post",
           lambda w: f"/api/tickets/{w.l1.pk}/emergency-actions/leadership_debrief/waive/",
           lambda w: {"reason": "客户不需要复盘"}, C.AFTERCARE_WAIVE, setup=_l1_ticket,
           strict=False, snapshot=_action_state("leadership_debrief")),
    # Complaints: the account manager (of that customer) responds.
    Action("complaint.respond", "post", lambda w: f"/api/complaints/{w.complaint.pk}/respond/",
           lambda w: {"text": "已回电致歉"}, C.COMPLAINT_HANDLE, setup=_complaint, strict=False,
           snapshot=lambda w: type(w.complaint).objects.get(pk=w.complaint.pk).state),
    # Inspections, emergency plans, reports.
    Action("inspection.plan.generate", "post", lambda w: "/api/inspection-plans/generate/",
           lambda w: {"contract": w.contract_a.pk}, C.INSPECTION_PLAN, strict=False,
           snapshot=_count("inspections.InspectionVisit")),
    Action("drill.record", "post", lambda w: "/api/emergency-drills/",
           lambda w: {"site": w.site_a.pk, "held_on": "2026-03-05", "scenario": "核心光缆中断",
                      "participants": "李工程师", "outcome": "achieved"},
           C.EMERGENCY_PLAN_EDIT, strict=False, snapshot=_count("emergency.Drill")),
    Action("report.generate", "post", lambda w: "/api/analysis-reports/generate/",
           lambda w: {"contract": w.contract_a.pk, "period_kind": "quarter",
                      "day": "2026-01-01"},
           C.REPORT_GENERATE, strict=False, snapshot=_count("reporting.AnalysisReport")),
    # Spares: sales (sale.quote) and the repair route (spares.operate).
    Action("sale.quote", "post", lambda w: f"/api/spare-sales/{w.sale.pk}/quote/",
           lambda w: {"proposal": "方案一", "lines": [{"part_number": "BP-1", "quantity": 1,
                                                      "unit_price": "1200.00"}]},
           C.SALE_QUOTE, setup=_sale, strict=False, snapshot=_sale_state),
    Action("sale.prepay", "post", lambda w: f"/api/spare-sales/{w.sale.pk}/prepay/",
           lambda w: {"prepaid_on": "2026-03-01", "amount": "600.00"}, C.SALE_QUOTE,
           setup=lambda w: _sale(w, upto="contracted"), strict=False, snapshot=_sale_state),
    Action("repair.hop", "post", lambda w: f"/api/repairs/{w.repair.pk}/hops/",
           lambda w: {"leg": "customer_to_office", "shipped_on": "2026-03-01",
                      "carrier": "顺丰", "tracking_number": "SF1"},
           C.SPARES_OPERATE, setup=_repair, strict=False, snapshot=_count("repairs.RepairHop")),
    # Billing: the customer's leader approves a sent statement.
    Action("statement.approve", "post", lambda w: f"/api/statements/{w.statement.pk}/approve/",
           lambda w: {"note": "同意"}, C.BILLING_APPROVE, setup=_sent_statement, strict=False,
           snapshot=lambda w: type(w.statement).objects.get(pk=w.statement.pk).state),
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

    world.people = people
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
        before = action.snapshot(world) if action.snapshot else None
        body = action.body(world)
        response = getattr(client, action.method)(action.path(world), body, format="json")
        after = action.snapshot(world) if action.snapshot else None
        transaction.set_rollback(True)
    status = response.status_code
    kind = "allowed" if 200 <= status < 300 else "refused" if status == 403 else "error"
    data = response.json() if response.content else None
    if kind == "refused" and before != after:
        kind = "refused but changed"
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


@pytest.mark.parametrize("action", MORE_ACTIONS, ids=[a.name for a in MORE_ACTIONS])
def test_every_role_holds_the_capability_the_matrix_says(action, table_world, people):
    """Actions behind state or ownership guards: only the capability part is asserted — a
    role without it gets 403 `permission_denied` and nothing changes; a role with it is never
    refused for permission (it may still meet a guard of the state or of ownership)."""
    if action.setup:
        action.setup(table_world)
    mismatches = []
    for role in ROLES:
        kind, status, data = outcome(action, table_world, people[role])
        allowed = (
            action.expect(role, table_world) if action.expect else expected(role, action.capability)
        )
        code = data.get("code") if isinstance(data, dict) else None
        if allowed and (code == "permission_denied" or status >= 500):
            mismatches.append(f"{role}: refused for permission, got {status} {data}")
        elif not allowed and (kind != "refused" or code != "permission_denied"):
            mismatches.append(f"{role}: expected permission_denied, got {kind} {status} {data}")
    assert not mismatches, f"{action.name} ({action.capability}):\n" + "\n".join(mismatches)
