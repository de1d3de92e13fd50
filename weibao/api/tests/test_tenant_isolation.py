"""A customer user sees only their own customer's data: another customer's site, asset and
contract answer 404 — exactly like objects that do not exist."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("resource", ["sites", "assets", "contracts", "customers"])
def test_customer_user_gets_404_for_another_customers_object(api, world, resource):
    other = {
        "sites": world.site_b,
        "assets": world.asset_b,
        "contracts": world.contract_b,
        "customers": world.customer_b,
    }[resource]
    own = {
        "sites": world.site_a,
        "assets": world.asset_a,
        "contracts": world.contract_a,
        "customers": world.customer_a,
    }[resource]
    api.force_authenticate(world.user_a)

    assert api.get(f"/api/{resource}/{other.pk}/").status_code == 404
    assert api.get(f"/api/{resource}/{own.pk}/").status_code == 200
    listed = {row["id"] for row in api.get(f"/api/{resource}/").json()["results"]}
    assert own.pk in listed
    assert other.pk not in listed


def test_customer_user_cannot_filter_their_way_into_another_customer(api, world):
    api.force_authenticate(world.user_a)
    response = api.get(f"/api/sites/?customer={world.customer_b.pk}")
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_customer_user_cannot_write(api, world):
    api.force_authenticate(world.user_a)
    response = api.patch(f"/api/sites/{world.site_a.pk}/", {"name": "改名"}, format="json")
    assert response.status_code == 403
    world.site_a.refresh_from_db()
    assert world.site_a.name == "甲端局"


def test_provider_staff_see_every_customer_of_their_provider(api, world):
    api.force_authenticate(world.provider_user)
    listed = {row["id"] for row in api.get("/api/sites/").json()["results"]}
    assert {world.site_a.pk, world.site_b.pk} <= listed


def test_staff_of_another_provider_see_nothing(api, world):
    from weibao.testing import factories as f

    stranger = f.UserFactory(provider=f.ProviderFactory(name="别家维保"))
    api.force_authenticate(stranger)
    assert api.get(f"/api/sites/{world.site_a.pk}/").status_code == 404
    assert api.get("/api/customers/").json()["results"] == []


def test_anonymous_requests_are_refused(api, world):
    assert api.get("/api/sites/").status_code in (401, 403)
