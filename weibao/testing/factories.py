"""factory_boy factories for the foundation's models."""

from __future__ import annotations

import datetime as dt
import functools

import factory

from weibao.accounts.models import RoleAssignment, User
from weibao.alarms.models import AlarmSource
from weibao.assets.models import Asset, AssetCategory
from weibao.catalog.models import Plan
from weibao.contracts import services as contract_services
from weibao.sites.models import Site, SiteKind
from weibao.tenancy.models import Contact, Customer, Provider, ServicePoint

PASSWORD = "test-pass-123"


def hashed_password(raw: str = PASSWORD) -> str:
    """The production hasher's hash of `raw`, computed once per test process: every factory
    user shares it (a PBKDF2 hash costs ~0.26 s; logging in still checks it for real). Keyed
    by the hashers configured, so a test module that swaps in a cheap hasher does not leave
    its hash behind for the tests after it."""
    from django.conf import settings

    return _hashed(raw, tuple(settings.PASSWORD_HASHERS))


@functools.cache
def _hashed(raw: str, hashers: tuple[str, ...]) -> str:
    from django.contrib.auth.hashers import make_password

    return make_password(raw)


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ("name",)

    name = "测试维保公司"


class ServicePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePoint

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"网点{n}")
    latitude = 32.0470
    longitude = 118.7900


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"客户{n}")
    code = factory.Sequence(lambda n: f"customer-{n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    name = "孔工"
    phone = "13900000000"
    role = "responsible"


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"机房{n}")
    code = factory.Sequence(lambda n: f"S-{n:03d}")
    kind = SiteKind.END_OFFICE
    address = "南京市"
    latitude = 32.0
    longitude = 118.8


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asset

    site = factory.SubFactory(SiteFactory)
    customer = factory.SelfAttribute("site.customer")
    category = factory.LazyFunction(lambda: AssetCategory.objects.get(code="fsu"))
    name = factory.Sequence(lambda n: f"FSU {n}")
    model = "ZXM10"
    serial_number = factory.Sequence(lambda n: f"SN{n:08d}")


class AlarmSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlarmSource

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"监控平台{n}")
    slug = factory.Sequence(lambda n: f"source-{n}")
    kind = "alertmanager"
    token = factory.Sequence(lambda n: f"token-{n:04d}-secret")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    provider = factory.SubFactory(ProviderFactory)
    password = factory.LazyFunction(hashed_password)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        for role in extracted or ():
            RoleAssignment.objects.create(user=self, role=role)


class CustomerUserFactory(UserFactory):
    provider = None
    customer = factory.SubFactory(CustomerFactory)


def make_contract(customer, *, sites=(), assets=(), start=dt.date(2026, 1, 1), number=None):
    """A Gold contract with the default policy, made through the service like users do."""
    return contract_services.create_contract(
        customer=customer,
        plan=Plan.objects.get(code="gold"),
        number=number or f"C-{customer.code}-{start:%Y%m%d}",
        title=f"{customer.name} 维保合同",
        start_date=start,
        end_date=start.replace(year=start.year + 1) - dt.timedelta(days=1),
        sites=sites,
        assets=assets,
    )
