"""Builds the demo data. Idempotent: run twice, get the same data, nothing duplicated or lost."""

from __future__ import annotations

import datetime as dt
import functools
import zlib
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from weibao.accounts.choices import Role, TeamKind
from weibao.accounts.models import RoleAssignment, Team, TeamMembership, User
from weibao.assets.models import Asset, AssetCategory, Owner, RepairOrigin
from weibao.catalog.models import Plan
from weibao.contracts import services as contract_services
from weibao.core.audit import acting_as, record_event
from weibao.demo import places
from weibao.demo.alarms import load_alarms
from weibao.demo.calendars import load_calendar_drafts
from weibao.demo.desk import load_tickets
from weibao.demo.feedback import load_feedback
from weibao.demo.fieldservice import load_fieldservice
from weibao.demo.hardware import load_hardware
from weibao.demo.inspections import load_inspections
from weibao.demo.repairs import load_provisional_repair
from weibao.demo.reporting import load_reporting
from weibao.sites.models import Site, SiteKind
from weibao.tenancy.geo import great_circle_km
from weibao.tenancy.models import Contact, ContactRole, Customer, Provider, ServicePoint

DEMO_PASSWORD = "weibao2026"
PROVIDER_NAME = "华信动环维保服务有限公司"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    organisation: str


# username, full name, role (None: superuser), customer code (None: provider)
USERS = [
    ("admin", "系统管理员", None, None),
    ("agent", "王坐席", Role.SUPPORT_AGENT, None),
    ("engineer", "李工程师", Role.ENGINEER, None),
    ("engineer2", "赵工程师", Role.ENGINEER, None),
    ("manager", "张维护经理", Role.MAINTENANCE_MANAGER, None),
    ("office", "陈服处经理", Role.SERVICE_OFFICE_MANAGER, None),
    ("expert", "刘专家", Role.SUBCENTER_EXPERT, None),
    ("head", "孙中心负责人", Role.CENTER_HEAD, None),
    ("gm", "周总经理", Role.SERVICE_CENTER_GM, None),
    ("account", "吴客户经理", Role.ACCOUNT_MANAGER, None),
    ("keeper", "郑备件管理员", Role.SPARE_KEEPER, None),
    ("customer", "钱值班员", Role.CUSTOMER_STAFF, "huadong"),
    ("leader", "冯处长", Role.CUSTOMER_LEADER, "huadong"),
    ("other", "何值班员", Role.CUSTOMER_STAFF, "binhai"),
]


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    """Create the demo world if it is not there yet; return the demo logins."""
    provider, _ = Provider.objects.get_or_create(
        name=PROVIDER_NAME, defaults={"hotline": "400-800-1234", "email": "service@example.cn"}
    )
    customers = {
        "huadong": _customer(
            provider, "huadong", "华东通信网络有限公司", "南京市鼓楼区北京西路 1 号"
        ),
        "binhai": _customer(provider, "binhai", "滨海港务集团", "连云港市连云区港口路 2 号"),
    }
    users = _users(provider, customers)
    with acting_as(users["admin"]):
        points = _service_points(provider)
        if not Site.objects.filter(customer=customers["huadong"]).exists():
            _build_huadong(customers["huadong"], points, users)
        if not Site.objects.filter(customer=customers["binhai"]).exists():
            _build_binhai(customers["binhai"], points)
        _teams(customers["huadong"], users)
        load_tickets(customers["huadong"], users)
        load_fieldservice(customers["huadong"], users)
        load_feedback(customers["huadong"], users)
        load_hardware(customers["huadong"], users)
        load_provisional_repair(customers["huadong"], users)
        load_calendar_drafts()
        load_inspections(customers["huadong"], users)
        load_alarms(customers["huadong"])
        load_reporting(customers["huadong"], users)  # last: its report reads the others' data
    return [
        DemoLogin(
            username,
            DEMO_PASSWORD,
            str(Role(role).label) if role else "超级管理员",
            str(customers[code]) if code else PROVIDER_NAME,
        )
        for username, _name, role, code in USERS
    ]


@functools.cache
def _demo_password_hash() -> str:
    """The production hasher's hash of the public demo password, computed once per process and
    shared by every demo user (a PBKDF2 hash costs ~0.26 s; logging in still checks it)."""
    return make_password(DEMO_PASSWORD)


def _customer(provider, code, name, address) -> Customer:
    customer, _ = Customer.objects.get_or_create(
        code=code, defaults={"provider": provider, "name": name, "address": address}
    )
    return customer


def _users(provider, customers) -> dict[str, User]:
    users = {}
    for username, full_name, role, customer_code in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                full_name=full_name,
                phone=f"138{zlib.crc32(username.encode()) % 10**8:08d}",
                email=f"{username}@example.cn",
                provider=None if customer_code else provider,
                customer=customers[customer_code] if customer_code else None,
                is_staff=role is None,
                is_superuser=role is None,
            )
            user.password = _demo_password_hash()
            user.save()
        if role:
            RoleAssignment.objects.get_or_create(user=user, role=role, customer=None)
        users[username] = user
    return users


def _service_points(provider) -> list[ServicePoint]:
    points = []
    for name, address, lat, lon, phone in places.SERVICE_POINTS:
        point, _ = ServicePoint.objects.get_or_create(
            provider=provider,
            name=name,
            defaults={"address": address, "latitude": lat, "longitude": lon, "phone": phone},
        )
        points.append(point)
    return points


def _nearest(points, lat, lon) -> ServicePoint:
    return min(points, key=lambda p: great_circle_km(p.latitude, p.longitude, lat, lon))


def _site(customer, points, kind, code, name, address, lat, lon, parent=None) -> Site:
    return Site.objects.create(
        customer=customer,
        kind=kind,
        code=code,
        name=name,
        address=address,
        latitude=lat,
        longitude=lon,
        parent=parent,
        service_point=_nearest(points, lat, lon),
        duty_phone="025-8666 " + code[-2:].zfill(4),
    )


def _build_huadong(customer, points, users) -> None:
    Contact.objects.bulk_create(
        [
            Contact(customer=customer, name="冯处长", phone="13900000001",
                    role=ContactRole.LEADER, title="运维处处长"),
            Contact(customer=customer, name="钱值班员", phone="13900000002",
                    role=ContactRole.DUTY, title="监控中心值班"),
            Contact(customer=customer, name="孔工", phone="13900000003",
                    role=ContactRole.RESPONSIBLE, title="动环系统负责人"),
            Contact(customer=customer, name="运维部", phone="025-8666 0000",
                    role=ContactRole.OM_DEPARTMENT),
        ]
    )  # fmt: skip
    sites = {}
    code, name, address, lat, lon = places.MONITORING_CENTER
    sites[code] = _site(customer, points, SiteKind.MONITORING_CENTER, code, name, address, lat, lon)
    for code, name, address, lat, lon in places.CORE_ROOMS:
        sites[code] = _site(
            customer, points, SiteKind.CORE, code, name, address, lat, lon, sites["MC-01"]
        )
    for code, name, address, lat, lon, parent in places.AGGREGATION_ROOMS:
        sites[code] = _site(
            customer, points, SiteKind.AGGREGATION, code, name, address, lat, lon, sites[parent]
        )
    for code, name, address, lat, lon, parent in places.END_OFFICES:
        sites[code] = _site(
            customer, points, SiteKind.END_OFFICE, code, name, address, lat, lon, sites[parent]
        )
    assets = _equip(customer, sites.values())
    contract = contract_services.create_contract(
        customer=customer,
        plan=Plan.objects.get(code="gold"),
        number="WB-2025-001",
        title="动环及视频监控系统维护保障服务（金牌）",
        start_date=dt.date(2025, 7, 1),
        end_date=dt.date(2027, 6, 30),
        sites=list(sites.values()),
        assets=assets,
        actor=users["admin"],
    )
    for day in (dt.date(2025, 9, 3), dt.date(2025, 12, 18), dt.date(2026, 3, 9)):
        contract_services.consume_entitlement(contract, "spare_exchange", on=day)
    center_server = next(a for a in assets if a.category.code == "server_center")
    center_server.software_version = "V3.2.1"
    center_server.save()
    record_event(
        center_server,
        kind="version",
        message="中心服务器软件由 V3.1.8 升级到 V3.2.1（补丁 SP2），升级后运行正常。",
    )


def _equip(customer, sites) -> list[Asset]:
    categories = {c.code: c for c in AssetCategory.objects.all()}
    assets = []
    serial = 0
    for site in sites:
        for code, count, maker, model in places.EQUIPMENT[site.kind]:
            category = categories[code]
            for i in range(count):
                serial += 1
                name = category.name
                if code == "sensor":
                    name = places.SENSOR_NAMES[i % len(places.SENSOR_NAMES)]
                assets.append(
                    Asset.objects.create(
                        customer=customer,
                        site=site,
                        category=category,
                        name=f"{site.code} {name}{'' if count == 1 else f' #{i + 1}'}",
                        manufacturer=maker,
                        model=model,
                        serial_number=f"{customer.code.upper()[:2]}{serial:06d}",
                        software_version="V2.0" if code in {"fsu", "nvr"} else "",
                        owner=Owner.CUSTOMER,
                        repair_origin=RepairOrigin.FOREIGN
                        if code in {"precision_ac", "mixer"}
                        else RepairOrigin.DOMESTIC,
                        customer_bought_supporting=code == "amplifier",
                        installed_on=dt.date(2023, 5, 1),
                    )
                )
    return assets


def _build_binhai(customer, points) -> None:
    Contact.objects.create(
        customer=customer, name="何值班员", phone="13900000011", role=ContactRole.DUTY
    )
    center = _site(
        customer, points, SiteKind.MONITORING_CENTER, "BH-MC", "港务监控中心",
        "连云港市连云区港口路 2 号", 34.7440, 119.4410,
    )  # fmt: skip
    office = _site(
        customer, points, SiteKind.END_OFFICE, "BH-EO1", "码头端局",
        "连云港市连云区码头 1 号", 34.7560, 119.4600, center,
    )  # fmt: skip
    assets = _equip(customer, [center, office])
    contract_services.create_contract(
        customer=customer,
        plan=Plan.objects.get(code="gold"),
        number="WB-2026-007",
        title="港务动环监控维护保障服务",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        sites=[center, office],
        assets=assets,
    )


def _teams(customer, users) -> None:
    emergency, _ = Team.objects.get_or_create(
        name="华东应急服务小组", kind=TeamKind.EMERGENCY, customer=customer
    )
    expert, _ = Team.objects.get_or_create(name="动环专家组", kind=TeamKind.EXPERT, customer=None)
    for team, members in (
        (emergency, ["office", "engineer", "engineer2"]),
        (expert, ["head", "expert"]),
    ):
        for i, username in enumerate(members):
            TeamMembership.objects.get_or_create(
                team=team, user=users[username], defaults={"is_lead": i == 0}
            )
    RoleAssignment.objects.get_or_create(
        user=users["account"], role=Role.ACCOUNT_MANAGER, customer=customer
    )
