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

# Real local receivers (SMTP, HTTP) for notification tests of any app.
pytest_plugins = ["weibao.testing.receivers"]


@pytest.fixture(autouse=True)
def _fresh_api_throttles():
    """The API throttles count requests in the cache: every test starts with no counts."""
    from django.core.cache import cache

    cache.clear()


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
    admin: object  # an administrator (superuser): holds every capability
    account_manager: object  # provider staff, account manager of customer A only


@pytest.fixture
def world(db) -> World:
    """Two customers of one provider, each with a site, an asset and a contract, and a user."""
    from weibao.accounts.choices import Role
    from weibao.accounts.models import RoleAssignment
    from weibao.testing import factories as f

    provider_user = f.UserFactory(roles=[Role.SUPPORT_AGENT])
    customer_a = f.CustomerFactory(provider=provider_user.provider, name="甲客户")
    customer_b = f.CustomerFactory(provider=provider_user.provider, name="乙客户")
    site_a = f.SiteFactory(customer=customer_a, name="甲端局")
    site_b = f.SiteFactory(customer=customer_b, name="乙端局")
    asset_a = f.AssetFactory(site=site_a)
    asset_b = f.AssetFactory(site=site_b)
    account_manager = f.UserFactory(provider=provider_user.provider)
    RoleAssignment.objects.create(
        user=account_manager, role=Role.ACCOUNT_MANAGER, customer=customer_a
    )
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
        admin=f.UserFactory(
            provider=provider_user.provider,
            is_superuser=True,
            is_staff=True,
            username="world-admin",
        ),
        account_manager=account_manager,
    )


@dataclass
class Desk:
    """A customer with one covered site 30 km from the service point, and one person in
    every provider role, to watch tickets, clocks and ladders."""

    customer: object
    site: object
    contract: object
    agent: object
    engineer: object
    manager: object
    office: object
    expert: object
    head: object
    account: object
    gm: object
    team: list

    def open(self, *, level="L2", minutes_ago=0, **extra):
        from weibao.core import clock as business_clock
        from weibao.tickets import services

        values = {
            "customer": self.customer,
            "site": self.site,
            "channel": "phone",
            "fault_phenomenon": "监控中心看不到端局数据",
            "reported_at": business_clock.now() - dt.timedelta(minutes=minutes_ago),
            "contact_name": "钱值班员",
            "contact_phone": "13900000002",
            "level": level,
            "actor": self.agent,
            **extra,
        }
        return services.open_ticket(**values)


@pytest.fixture
def desk(db, frozen_clock) -> Desk:
    from weibao.accounts.choices import Role, TeamKind
    from weibao.accounts.models import RoleAssignment, Team, TeamMembership
    from weibao.testing import factories as f

    frozen_clock(dt.datetime(2026, 3, 2, 3, 0))
    point = f.ServicePointFactory(latitude=32.0603, longitude=118.7969)
    customer = f.CustomerFactory(provider=point.provider, name="华东通信")
    site = f.SiteFactory(
        customer=customer, service_point=point, road_distance_km=30, name="监控中心"
    )
    contract = f.make_contract(customer, sites=[site])

    def person(username, role):
        return f.UserFactory(
            username=username, provider=point.provider, email=f"{username}@example.cn",
            roles=[role],
        )  # fmt: skip

    people = {
        "agent": person("agent", Role.SUPPORT_AGENT),
        "engineer": person("engineer", Role.ENGINEER),
        "manager": person("manager", Role.MAINTENANCE_MANAGER),
        "office": person("office", Role.SERVICE_OFFICE_MANAGER),
        "expert": person("expert", Role.SUBCENTER_EXPERT),
        "head": person("head", Role.CENTER_HEAD),
        "gm": person("gm", Role.SERVICE_CENTER_GM),
        "account": person("account", Role.ACCOUNT_MANAGER),
    }
    RoleAssignment.objects.filter(user=people["account"]).update(customer=customer)
    team = Team.objects.create(name="应急小组", kind=TeamKind.EMERGENCY, customer=customer)
    members = [people["office"], f.UserFactory(provider=point.provider, email="t2@example.cn")]
    for member in members:
        TeamMembership.objects.create(team=team, user=member)
    return Desk(customer=customer, site=site, contract=contract, team=members, **people)


# Rows that Django itself recreates after a flush (post_migrate), or that are per-test state.
_NOT_SEED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


@pytest.fixture(scope="session")
def _seed_rows(django_db_setup, django_db_blocker):
    """Every row the migrations left in the fresh test database (the data migrations' seed:
    catalog, asset categories, criteria, causes, checklists, the calendar, the permission
    matrix…), read once per session while the database is still pristine."""
    from django.apps import apps

    rows = {}
    with django_db_blocker.unblock():
        for model in apps.get_models(include_auto_created=True):
            if model._meta.label_lower in _NOT_SEED or model._meta.proxy:
                continue
            fields = [f.attname for f in model._meta.concrete_fields]
            values = list(model._base_manager.values_list(*fields))
            if values:
                rows[model] = (fields, values)
    return rows


def _restore_seed_rows(rows) -> None:
    from django.core.management.color import no_style
    from django.db import connection, transaction

    with transaction.atomic():  # foreign keys are checked at commit: any order will do
        for model, (fields, values) in rows.items():
            if not model._base_manager.exists():
                model._base_manager.bulk_create(
                    [model(**dict(zip(fields, row, strict=True))) for row in values],
                    batch_size=500,
                )
        statements = connection.ops.sequence_reset_sql(no_style(), list(rows))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


@pytest.fixture(autouse=True)
def _seed_data_survives_transactional_tests(request):
    """Transactional tests flush the database afterwards, taking the data migrations' seed rows
    (catalog, asset categories, criteria, calendar, permission matrix) with them. Put them
    back before each such test — copied from the fresh database, not rebuilt — so test order
    never matters."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        yield
        return
    rows = request.getfixturevalue("_seed_rows")
    request.getfixturevalue("transactional_db")
    from weibao.accounts.models import RoleCapability
    from weibao.calendars import workdays

    _restore_seed_rows(rows)
    workdays.invalidate_index()
    RoleCapability.forget_cache()
    yield
