"""The REST API: auth, filters, pagination, field errors, OpenAPI served offline."""

import re

import pytest

from weibao.sites.models import Site
from weibao.testing import factories as f

pytestmark = pytest.mark.django_db


def site_payload(world, **changes):
    return {
        "customer": world.customer_a.pk,
        "name": "新端局",
        "code": "EO-99",
        "kind": "end_office",
        "address": "南京市栖霞区",
        "latitude": "32.1",
        "longitude": "118.9",
        **changes,
    }


def test_create_site_answers_201(api, world):
    api.force_authenticate(world.account_manager)  # master.edit for customer A
    response = api.post("/api/sites/", site_payload(world), format="json")
    assert response.status_code == 201, response.json()
    assert Site.objects.get(code="EO-99").customer == world.customer_a


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "spaceship"}, "kind"),
        ({"latitude": "123"}, "latitude"),
        ({"name": ""}, "name"),
        ({"customer": 999999}, "customer"),
    ],
)
def test_bad_input_answers_400_with_the_field_and_writes_nothing(api, world, changes, field):
    api.force_authenticate(world.account_manager)  # master.edit for customer A
    count = Site.objects.count()
    response = api.post("/api/sites/", site_payload(world, **changes), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"]
    assert Site.objects.count() == count


def test_asset_at_another_customers_site_is_refused(api, world):
    api.force_authenticate(world.account_manager)  # master.edit for customer A
    response = api.post(
        "/api/assets/",
        {
            "customer": world.customer_a.pk,
            "site": world.site_b.pk,
            "category_code": "camera",
            "name": "摄像机",
            "model": "X",
            "serial_number": "SN-X",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "site" in response.json()["fields"]


def test_filters_and_pagination(api, world):
    for i in range(7):
        f.AssetFactory(site=world.site_a, serial_number=f"CAM{i}", category=_camera())
    api.force_authenticate(world.provider_user)
    page = api.get("/api/assets/?category=camera&page_size=5").json()
    assert page["count"] == 7
    assert len(page["results"]) == 5
    assert page["next"]
    assert api.get("/api/assets/?serial_number=cam3").json()["count"] == 1
    assert (
        api.get(f"/api/sites/?kind=end_office&customer={world.customer_a.pk}").json()["count"] == 1
    )


def _camera():
    from weibao.assets.models import AssetCategory

    return AssetCategory.objects.get(code="camera")


def test_token_authentication(api, world):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=world.user_a)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get(f"/api/sites/{world.site_a.pk}/").status_code == 200
    api.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert api.get(f"/api/sites/{world.site_a.pk}/").status_code == 401


def test_openapi_schema_and_offline_docs(client, world):
    client.force_login(world.provider_user)
    schema = client.get("/api/schema/?format=json").json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/sites/", "/api/assets/", "/api/contracts/{id}/policy/", "/api/plans/"):
        assert path in schema["paths"]
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    external = re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", docs)
    assert external == []
    script = re.search(r'src="([^"]+swagger-ui-bundle\.js)"', docs).group(1)
    assert client.get(script).status_code == 200
