"""Two administrators replacing a contract's SLA policy: the policy has its own version (its
`ETag`), and a replacement made from an older read is refused with 412, changing nothing."""

import copy

import pytest

pytestmark = pytest.mark.django_db


def test_a_stale_policy_put_answers_412_and_changes_nothing(api, world):
    api.force_authenticate(world.admin)
    url = f"/api/contracts/{world.contract_a.pk}/policy/"
    read = api.get(url)
    assert read["ETag"]
    first, second = copy.deepcopy(read.json()), copy.deepcopy(read.json())
    first["response"]["onsite_response"]["L1"] = 90
    second["response"]["onsite_response"]["L1"] = 45

    fresh = api.put(url, first, format="json", HTTP_IF_MATCH=read["ETag"])
    stale = api.put(url, second, format="json", HTTP_IF_MATCH=read["ETag"])

    assert fresh.status_code == 200 and fresh["ETag"] != read["ETag"]
    assert (stale.status_code, stale.json()["code"]) == (412, "stale")
    assert api.get(url).json()["response"]["onsite_response"]["L1"] == 90
    assert api.get(url)["ETag"] == fresh["ETag"]
    again = api.put(url, second, format="json", HTTP_IF_MATCH=fresh["ETag"])
    assert again.status_code == 200
    assert api.get(url).json()["response"]["onsite_response"]["L1"] == 45


def test_the_policy_version_is_its_own_not_the_contracts(api, world):
    """Editing the contract's notes does not make a policy read stale, and the contract's tag
    does not pass for the policy's."""
    api.force_authenticate(world.admin)
    url = f"/api/contracts/{world.contract_a.pk}/policy/"
    contract_url = f"/api/contracts/{world.contract_a.pk}/"
    policy = api.get(url)
    contract = api.get(contract_url)
    assert policy["ETag"] != contract["ETag"]

    wrong = api.put(url, policy.json(), format="json", HTTP_IF_MATCH=contract["ETag"])
    assert wrong.status_code == 412
    assert api.patch(contract_url, {"notes": "改了备注"}, format="json").status_code == 200
    body = copy.deepcopy(policy.json())
    body["arrival_rule"] = "sum"
    right = api.put(url, body, format="json", HTTP_IF_MATCH=policy["ETag"])
    assert right.status_code == 200, right.json()
    assert api.get(url).json()["arrival_rule"] == "sum"
