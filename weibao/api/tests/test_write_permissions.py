"""Master data and configuration through the API follow the permission matrix (PRM-1):
customers, sites and assets need `master.edit` (administrators; account managers for their
own customers), contracts and their SLA policies `config.edit` (administrators only). A
refusal answers 403 `permission_denied` naming the capability, and changes nothing."""

import pytest

from weibao.accounts.choices import Role
from weibao.assets.models import Asset
from weibao.contracts.models import Contract
from weibao.sites.models import Site
from weibao.tenancy.models import Customer
from weibao.testing import factories as f

pytestmark = pytest.mark.django_db


def site_body(customer, code="EO-77"):
    return {
        "customer": customer.pk,
        "name": "新端局",
        "code": code,
        "kind": "end_office",
        "address": "南京市",
        "latitude": "32.1",
        "longitude": "118.9",
    }


def contract_body(customer, number="WB-77"):
    return {
        "number": number,
        "title": "测试合同",
        "customer": customer.pk,
        "plan": "gold",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
    }


def assert_refused(response, capability):
    assert response.status_code == 403, response.content
    body = response.json()
    assert body["code"] == "permission_denied"
    assert body["capability"] == capability


@pytest.fixture
def engineer(world):
    return f.UserFactory(provider=world.provider_user.provider, roles=[Role.ENGINEER])


def counts():
    return (
        Customer.objects.count(),
        Site.objects.count(),
        Asset.objects.count(),
        Contract.objects.count(),
    )


def test_engineer_cannot_create_change_or_delete_master_data(api, world, engineer):
    api.force_authenticate(engineer)
    before = counts()

    assert_refused(api.post("/api/customers/", {"name": "新客户", "code": "new"}), "master.edit")
    assert_refused(api.post("/api/sites/", site_body(world.customer_a), format="json"),
                   "master.edit")  # fmt: skip
    assert_refused(api.patch(f"/api/sites/{world.site_a.pk}/", {"name": "改名"}), "master.edit")
    assert_refused(api.delete(f"/api/sites/{world.site_a.pk}/"), "master.edit")
    assert_refused(api.delete(f"/api/assets/{world.asset_a.pk}/"), "master.edit")
    assert_refused(api.delete(f"/api/customers/{world.customer_b.pk}/"), "master.edit")

    assert counts() == before
    world.site_a.refresh_from_db()
    assert world.site_a.name == "甲端局"


def test_engineer_cannot_touch_contracts_or_their_policy(api, world, engineer):
    api.force_authenticate(engineer)
    before = counts()
    url = f"/api/contracts/{world.contract_a.pk}/policy/"
    policy = api.get(url).json()
    changed = {**policy, "arrival_rule": "sum"}

    assert_refused(api.post("/api/contracts/", contract_body(world.customer_a), format="json"),
                   "config.edit")  # fmt: skip
    assert_refused(api.put(url, changed, format="json"), "config.edit")
    assert_refused(api.patch(f"/api/contracts/{world.contract_a.pk}/", {"title": "x"}),
                   "config.edit")  # fmt: skip
    assert_refused(api.delete(f"/api/contracts/{world.contract_a.pk}/"), "config.edit")

    assert counts() == before
    assert api.get(url).json() == policy


def test_refused_write_with_a_bad_body_still_answers_403(api, world, engineer):
    api.force_authenticate(engineer)
    response = api.post("/api/sites/", {"kind": "spaceship"}, format="json")
    assert_refused(response, "master.edit")


def test_account_manager_edits_master_data_of_own_customer_only(api, world):
    api.force_authenticate(world.account_manager)

    own = api.post("/api/sites/", site_body(world.customer_a), format="json")
    assert own.status_code == 201, own.json()
    other = api.post("/api/sites/", site_body(world.customer_b, code="EO-78"), format="json")
    assert_refused(other, "master.edit")
    assert not Site.objects.filter(code="EO-78").exists()

    assert api.patch(f"/api/sites/{world.site_a.pk}/", {"name": "甲新"}).status_code == 200
    assert_refused(api.patch(f"/api/sites/{world.site_b.pk}/", {"name": "乙新"}), "master.edit")
    world.site_b.refresh_from_db()
    assert world.site_b.name == "乙端局"


def test_account_manager_cannot_move_a_site_to_another_customer(api, world):
    api.force_authenticate(world.account_manager)
    response = api.patch(
        f"/api/sites/{world.site_a.pk}/", {"customer": world.customer_b.pk}, format="json"
    )
    assert_refused(response, "master.edit")
    world.site_a.refresh_from_db()
    assert world.site_a.customer == world.customer_a


def test_account_manager_cannot_edit_contracts(api, world):
    api.force_authenticate(world.account_manager)
    response = api.patch(f"/api/contracts/{world.contract_a.pk}/", {"title": "改"})
    assert_refused(response, "config.edit")


def test_customer_user_is_refused_with_the_capability_named(api, world):
    api.force_authenticate(world.user_a)
    assert_refused(api.patch(f"/api/sites/{world.site_a.pk}/", {"name": "改名"}), "master.edit")


def test_administrator_writes_master_data_and_configuration(api, world):
    api.force_authenticate(world.admin)
    created = api.post("/api/customers/", {"name": "新客户", "code": "new"})
    assert created.status_code == 201, created.json()
    contract = api.post("/api/contracts/", contract_body(world.customer_a), format="json")
    assert contract.status_code == 201, contract.json()
    url = f"/api/contracts/{world.contract_a.pk}/policy/"
    policy = api.get(url).json()
    assert api.put(url, {**policy, "arrival_rule": "sum"}, format="json").status_code == 200
    assert api.delete(f"/api/assets/{world.asset_a.pk}/").status_code == 204


def test_matrix_edit_grants_the_write(api, world, engineer):
    from weibao.accounts.models import RoleCapability

    RoleCapability.objects.create(role=Role.ENGINEER, capability="master.edit")
    api.force_authenticate(engineer)
    response = api.patch(f"/api/sites/{world.site_a.pk}/", {"name": "改名"})
    assert response.status_code == 200, response.json()
