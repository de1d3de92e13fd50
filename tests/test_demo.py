"""`weibao demo`: the world `make run` shows, loaded twice without duplicating anything."""

import io

import pytest
from django.core.management import call_command

from weibao.accounts.choices import Role
from weibao.accounts.models import User
from weibao.assets.models import Asset, AssetCategory
from weibao.contracts.policy import default_policy
from weibao.sites.models import Site
from weibao.testing.shared import shared_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker):
    """`weibao demo` once for the module (seconds); each test starts from it, undone after."""

    def load():
        out = io.StringIO()
        call_command("demo", stdout=out)
        return out.getvalue()

    yield from shared_data(django_db_blocker, load)


@pytest.fixture
def demo(_demo_loaded, db):
    return _demo_loaded


def test_demo_prints_a_login_for_every_role(demo):
    for role in Role:
        assert str(role.label) in demo
    assert "weibao2026" in demo
    for role in Role:
        assert User.objects.filter(role_assignments__role=role).exists()


def test_demo_customer_has_the_site_tree_of_the_issue(demo):
    sites = Site.objects.filter(customer__code="huadong")
    counts = {
        kind: sites.filter(kind=kind).count() for kind in sites.values_list("kind", flat=True)
    }
    assert counts == {"monitoring_center": 1, "core": 2, "aggregation": 4, "end_office": 20}


def test_demo_distances_fall_in_every_arrival_tier(demo):
    limits = [t.max_km for t in default_policy().distance_tiers]
    tiers = set()
    for site in Site.objects.filter(customer__code="huadong").select_related("service_point"):
        tiers.add(next(i for i, km in enumerate(limits) if km is None or site.distance_km <= km))
    assert tiers == {0, 1, 2, 3}


def test_demo_has_hundreds_of_assets_of_every_kind(demo):
    assert Asset.objects.filter(customer__code="huadong").count() >= 250
    used = set(Asset.objects.values_list("category__code", flat=True))
    assert used == set(AssetCategory.objects.values_list("code", flat=True))


def test_demo_twice_keeps_data_and_duplicates_nothing(demo):
    site = Site.objects.get(code="EO-01")
    site.notes = "值班员记录：门禁需要刷卡"
    site.save()
    counts = (Site.objects.count(), Asset.objects.count(), User.objects.count())

    call_command("demo", stdout=io.StringIO())

    assert (Site.objects.count(), Asset.objects.count(), User.objects.count()) == counts
    assert Site.objects.get(code="EO-01").notes == "值班员记录：门禁需要刷卡"
