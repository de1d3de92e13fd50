"""A signature image is measured from its PNG header before it is decoded: a small file of a
huge picture is refused at once, in the portal and through the API, and nothing is signed."""

import pytest

from weibao.core.tests.images import bomb_png, data_uri
from weibao.documents import services
from weibao.documents.models import SignedDocument
from weibao.documents.testing import sample_signature

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.documents.tests.urls")]

TOO_LARGE = "图像尺寸过大（4000×4000 像素）"


@pytest.fixture
def waiting(make_document, world):
    return services.request_signature(make_document(), actor=world.provider_user)


def test_a_signature_of_a_huge_picture_is_refused_through_the_api(api, waiting, world):
    api.force_authenticate(world.user_a)
    signature = data_uri(bomb_png(4000))
    assert len(signature) < 20_000

    refused = api.post(
        f"/api/documents/{waiting.pk}/sign/",
        {"signer_name": "钱", "signer_role": "maintenance", "signature": signature},
        format="json",
    )

    assert refused.status_code == 400
    assert refused.json()["code"] == "signature_invalid"
    assert TOO_LARGE in refused.json()["fields"]["signature"][0]
    assert SignedDocument.objects.get(pk=waiting.pk).state == "awaiting_signature"


def test_a_signature_of_a_huge_picture_is_refused_in_the_portal(client, waiting, world):
    client.force_login(world.user_a)

    response = client.post(
        f"/documents/{waiting.pk}/sign/",
        {"signer_name": "钱", "signer_role": "maintenance", "signature": data_uri(bomb_png())},
    )

    assert response.status_code == 400  # the form again, with the signature's error, as the API
    assert TOO_LARGE in response.content.decode()
    assert SignedDocument.objects.get(pk=waiting.pk).state == "awaiting_signature"


def test_too_many_bytes_are_refused_before_decoding(api, waiting, world):
    api.force_authenticate(world.user_a)
    signature = data_uri(b"\x89PNG\r\n\x1a\n" + b"\x00" * (1024 * 1024))

    refused = api.post(
        f"/api/documents/{waiting.pk}/sign/",
        {"signer_name": "钱", "signer_role": "maintenance", "signature": signature},
        format="json",
    )

    assert refused.status_code == 400
    assert refused.json()["fields"]["signature"] == ["签名图像过大，不能超过 1024 KB。"]


def test_a_drawn_signature_still_signs(api, waiting, world):
    api.force_authenticate(world.user_a)
    signed = api.post(
        f"/api/documents/{waiting.pk}/sign/",
        {"signer_name": "钱", "signer_role": "maintenance", "signature": sample_signature()},
        format="json",
    )
    assert signed.status_code == 200 and signed.json()["state"] == "signed"
