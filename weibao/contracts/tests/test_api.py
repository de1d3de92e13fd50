"""Contracts through the API: created with the default policy, policy edited and validated."""

import pytest

from weibao.contracts.models import Contract

pytestmark = pytest.mark.django_db


def test_create_contract_gets_default_policy(api, world):
    api.force_authenticate(world.admin)  # only administrators edit contracts (PRM-1)
    response = api.post(
        "/api/contracts/",
        {
            "number": "WB-9",
            "title": "测试合同",
            "customer": world.customer_a.pk,
            "plan": "gold",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "sites": [world.site_a.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["policy"]["response"]["phone_response"]["L1"] == 30
    assert body["sites"] == [world.site_a.pk]


def test_contract_ending_before_it_starts_is_refused_and_not_written(api, world):
    api.force_authenticate(world.admin)  # only administrators edit contracts (PRM-1)
    response = api.post(
        "/api/contracts/",
        {
            "number": "WB-10",
            "title": "错误合同",
            "customer": world.customer_a.pk,
            "plan": "gold",
            "start_date": "2026-12-31",
            "end_date": "2026-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "end_date" in response.json()["fields"]
    assert not Contract.objects.filter(number="WB-10").exists()


def test_contract_cannot_cover_another_customers_site(api, world):
    api.force_authenticate(world.admin)  # only administrators edit contracts (PRM-1)
    response = api.patch(
        f"/api/contracts/{world.contract_a.pk}/", {"sites": [world.site_b.pk]}, format="json"
    )
    assert response.status_code == 400
    assert "sites" in response.json()["fields"]


def test_policy_put_changes_values(api, world):
    api.force_authenticate(world.admin)  # only administrators edit contracts (PRM-1)
    url = f"/api/contracts/{world.contract_a.pk}/policy/"
    policy = api.get(url).json()
    policy["response"]["onsite_response"]["L1"] = 90
    policy["arrival_rule"] = "sum"
    response = api.put(url, policy, format="json")
    assert response.status_code == 200, response.json()
    assert api.get(url).json()["response"]["onsite_response"]["L1"] == 90
    assert api.get(url).json()["arrival_rule"] == "sum"


@pytest.mark.parametrize("bad", [-30, 0, None, "abc"])
def test_policy_with_bad_duration_answers_400_with_the_field_and_changes_nothing(api, world, bad):
    api.force_authenticate(world.admin)  # only administrators edit contracts (PRM-1)
    url = f"/api/contracts/{world.contract_a.pk}/policy/"
    before = api.get(url).json()
    policy = api.get(url).json()
    policy["response"]["phone_response"]["L1"] = bad
    response = api.put(url, policy, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["response.phone_response.L1"]
    assert api.get(url).json() == before


def test_policy_missing_a_required_level_answers_400(api, world):
    api.force_authenticate(world.admin)  # only administrators edit contracts (PRM-1)
    url = f"/api/contracts/{world.contract_a.pk}/policy/"
    policy = api.get(url).json()
    del policy["response"]["phone_response"]["L2"]
    response = api.put(url, policy, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_duration"
    assert "response.phone_response.L2" in response.json()["fields"]


def test_customer_user_reads_but_cannot_edit_policy(api, world):
    api.force_authenticate(world.user_a)
    url = f"/api/contracts/{world.contract_a.pk}/policy/"
    policy = api.get(url).json()
    assert api.put(url, policy, format="json").status_code == 403
