"""The world of `bench_desk.py`: a small organisation and 100,000 open tickets with about
1,000,000 pending clocks, ladder steps and emergency actions, written with COPY.

The rows are the ones `open_ticket` writes (same columns, levels, targets, budgets, the
policy snapshot on the ticket, the "ticket.opened" event), except for two things the
benchmark needs: every pending row's `due_at` is pushed far into the future (the benchmark
moves the measured ones to where it wants them), and the audit rows of the ticket's own
creation and the L1 "action assigned" outbox rows are left out (nothing the runner reads).

To reach ~1M pending rows the contract's ladder (表 16) is the default one plus reminders
every hour or two until 8 h (an administrator can add such steps); the ticket's policy
snapshot carries that ladder, so the rows match what `plan_ladder` plans from it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from weibao.accounts.choices import Role, TeamKind
from weibao.accounts.models import RoleAssignment, Team, TeamMembership, User
from weibao.catalog.models import Plan
from weibao.contracts import services as contract_services
from weibao.contracts.policy import EscalationStep, EscalationTarget, default_policy
from weibao.notifications.choices import EndpointKind
from weibao.notifications.models import ChannelEndpoint
from weibao.sites.models import Site, SiteKind
from weibao.sla import engine
from weibao.tenancy.models import Customer, Provider, ServicePoint
from weibao.tickets.models import Ticket

AM, GM = EscalationTarget.ACCOUNT_MANAGER, EscalationTarget.SERVICE_CENTER_GM
# Reminders after the default steps of 表 16 (minutes after the report, target).
EXTRA_STEPS = {
    "L1": [(90, AM), (120, GM), (180, AM), (240, GM)],
    "L2": [(120, GM), (180, AM), (240, GM), (300, AM), (360, GM), (480, GM)],
    "L3": [(120, AM), (180, GM), (240, AM), (300, GM), (360, AM), (480, GM)],
}
FAR_FUTURE = dt.timedelta(days=30)
PHENOMENA = ["部分端局与监控中心通讯中断", "摄像机无图像", "存储服务器硬盘告警", "传输路由不通"]


@dataclasses.dataclass
class Org:
    provider: Provider
    customer: Customer
    site: Site
    contract: object
    agent: User
    users: dict[str, User]
    policy: dict


def bench_policy():
    base = default_policy()
    extra = tuple(
        EscalationStep(level, minutes, target)
        for level, steps in EXTRA_STEPS.items()
        for minutes, target in steps
    )
    return dataclasses.replace(base, escalation=base.escalation + extra)


def make_org(today: dt.date) -> Org:
    """Provider, service point, customer, one covered site, the role holders, the customer's
    emergency team and a DingTalk group robot for escalations and breaches."""
    provider = Provider.objects.create(name="基准维保公司", hotline="400-000-0000")
    point = ServicePoint.objects.create(
        provider=provider, name="南京网点", latitude=32.0603, longitude=118.7969
    )
    customer = Customer.objects.create(provider=provider, name="华东通信", code="bench-east")
    site = Site.objects.create(
        customer=customer, name="监控中心", code="S-001", kind=SiteKind.MONITORING_CENTER,
        address="南京市", latitude=32.05, longitude=118.78, service_point=point,
        road_distance_km=30,
    )  # fmt: skip
    contract = contract_services.create_contract(
        customer=customer,
        plan=Plan.objects.get(code="gold"),
        number="C-BENCH-1",
        title="华东通信 维保合同",
        # started yesterday: no closed period yet, so the runner's other due sources (e.g.
        # the automatic period reports) have nothing to do during the benchmark
        start_date=today - dt.timedelta(days=1),
        end_date=today + dt.timedelta(days=363),
        sites=[site],
    )
    contract_services.write_policy(contract, bench_policy())

    def person(username: str, role: str | None, **extra) -> User:
        user = User.objects.create(
            username=username, full_name=username, provider=provider,
            email=f"{username}@example.cn", phone=f"139{len(username):08d}", **extra,
        )  # fmt: skip
        if role:
            RoleAssignment.objects.create(user=user, role=role)
        return user

    users = {
        "agent": person("agent", Role.SUPPORT_AGENT, is_staff=True),
        "engineer": person("engineer", Role.ENGINEER),
        "manager": person("manager", Role.MAINTENANCE_MANAGER),
        "office": person("office", Role.SERVICE_OFFICE_MANAGER),
        "expert": person("expert", Role.SUBCENTER_EXPERT),
        "head": person("head", Role.CENTER_HEAD),
        "gm": person("gm", Role.SERVICE_CENTER_GM),
        "account": person("account", None),
        "duty": person("duty", None),
    }
    RoleAssignment.objects.create(
        user=users["account"], role=Role.ACCOUNT_MANAGER, customer=customer
    )
    team = Team.objects.create(name="应急小组", kind=TeamKind.EMERGENCY, customer=customer)
    for member in (users["office"], users["duty"]):
        TeamMembership.objects.create(team=team, user=member)
    ChannelEndpoint.objects.create(
        name="华东通信值班群", kind=EndpointKind.DINGTALK, customer=customer,
        url="https://oapi.dingtalk.com/robot/send?access_token=bench",
        kinds=["escalation", "breach"],
    )  # fmt: skip
    contract.refresh_from_db()
    policy = contract.policy.snapshot()
    return Org(provider, customer, site, contract, users["agent"], users, policy.to_dict())


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


def _copy(table: str, columns: tuple[str, ...], rows) -> int:
    count = 0
    cols = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _sync_sequence(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )


def load_tickets(org: Org, count: int, *, now: dt.datetime) -> dict[str, int]:
    """`count` open tickets (10 % L1, the rest L2 and L3 in turn) with the clocks, ladder steps
    and emergency actions `open_ticket` plans for them. Returns the row counts."""
    policy = org.policy
    policy_json = json.dumps(policy, ensure_ascii=False)
    frozen = org.contract.policy.snapshot()
    first = _next_id("tickets_ticket")
    far = now + FAR_FUTURE
    reported = now - dt.timedelta(minutes=10)
    day = f"{timezone.localtime(reported):%y%m%d}"
    levels = ["L1" if i % 10 == 0 else ("L2" if i % 2 else "L3") for i in range(count)]
    ids = range(first, first + count)
    opened = "受理：%s"

    ticket_cols = (
        "id", "created_at", "updated_at", "number", "not_covered", "channel", "request_type",
        "level", "fault_phenomenon", "reported_at", "contact_name", "contact_phone", "stage",
        "policy", "remote_consent_by", "remote_consent_method", "onsite_confirmed_at",
        "distance_km", "reopen_count", "contract_id", "created_by_id", "customer_id",
        "service_point_id", "site_id",
    )  # fmt: skip
    site = org.site
    distance = round(site.distance_km, 1)

    def tickets():
        for pk, level in zip(ids, levels, strict=True):
            l1 = level == "L1"
            yield (
                pk, now, now, f"WB{day}-{pk:05d}", False, "phone", "fault", level,
                PHENOMENA[pk % len(PHENOMENA)], reported, "值班员", "13900000002",
                "emergency" if l1 else "new", policy_json, "", "", now if l1 else None,
                distance, 0, org.contract.pk, org.agent.pk, org.customer.pk,
                site.service_point_id, site.pk,
            )  # fmt: skip

    counts = {"tickets": _copy("tickets_ticket", ticket_cols, tickets())}

    def budgets(level):
        kinds = [engine.PHONE_RESPONSE]
        if level == "L1":
            kinds += [engine.ONSITE_RESPONSE, engine.ONSITE_ARRIVAL]
        return [(k, engine.budget_minutes(frozen, k, level, distance)) for k in kinds]

    clock_plan = {lv: budgets(lv) for lv in ("L1", "L2", "L3")}

    def clocks():
        for pk, level in zip(ids, levels, strict=True):
            for n, (kind, budget) in enumerate(clock_plan[level]):
                started = reported if kind == engine.PHONE_RESPONSE else now
                yield (kind, budget, started, far + dt.timedelta(seconds=pk % 3600 + n), 0,
                       "running", pk)  # fmt: skip

    counts["clocks"] = _copy(
        "sla_clock",
        ("kind", "budget_minutes", "started_at", "due_at", "paused_seconds", "state", "ticket_id"),
        clocks(),
    )

    ladders = {lv: engine.ladder(frozen, lv) for lv in ("L1", "L2", "L3")}

    def steps():
        for pk, level in zip(ids, levels, strict=True):
            for step in ladders[level]:
                due = far + dt.timedelta(minutes=step.after_minutes, seconds=pk % 3600)
                yield (level, step.after_minutes, step.target, due, 0, pk)

    counts["steps"] = _copy(
        "escalations_escalationstep",
        ("level", "after_minutes", "target", "due_at", "recipients", "ticket_id"),
        steps(),
    )

    def actions():
        for pk, level in zip(ids, levels, strict=True):
            if level != "L1":
                continue
            for order, spec in enumerate(engine.EMERGENCY_ACTIONS):
                due = (
                    None
                    if spec.after_minutes is None
                    else far + dt.timedelta(minutes=spec.after_minutes, seconds=pk % 3600)
                )
                yield (spec.code, spec.label, spec.phase, spec.owner_role, order, due, "", "", pk)

    counts["actions_with_deadline"] = sum(
        1 for spec in engine.EMERGENCY_ACTIONS if spec.after_minutes is not None
    ) * levels.count("L1")
    counts["actions"] = _copy(
        "escalations_emergencyaction",
        ("code", "label", "phase", "owner_role", "order", "due_at", "note", "waived_reason",
         "ticket_id"),
        actions(),
    )  # fmt: skip

    ticket_type = ContentType.objects.get_for_model(Ticket).pk
    agent_name = org.agent.get_full_name() or org.agent.get_username()

    def events():
        for pk in ids:
            text = opened % PHENOMENA[pk % len(PHENOMENA)]
            yield (now, agent_name, "event", "ticket.opened", str(pk), f"WB{day}-{pk:05d}",
                   "{}", text, org.agent.pk, ticket_type, org.customer.pk, site.pk)  # fmt: skip

    counts["changelog"] = _copy(
        "core_changelog",
        ("at", "actor_name", "action", "kind", "object_id", "object_repr", "changes", "message",
         "actor_id", "content_type_id", "customer_id", "site_id"),
        events(),
    )  # fmt: skip
    for table in ("tickets_ticket",):
        _sync_sequence(table)
    with connection.cursor() as cursor:
        for table in (
            "tickets_ticket", "sla_clock", "escalations_escalationstep",
            "escalations_emergencyaction", "core_changelog",
        ):  # fmt: skip
            cursor.execute(f"VACUUM ANALYZE {table}")
    return counts
