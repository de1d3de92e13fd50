"""The customer's signature of a visit's service report: a small PNG of a huge picture is
refused at once (400 on the signature), and the report still waits for a real signature."""

import pytest

from weibao.core.tests.images import bomb_png, data_uri
from weibao.documents.models import SignedDocument
from weibao.documents.testing import sample_signature
from weibao.fieldservice import services
from weibao.fieldservice.testing import REPORT

pytestmark = pytest.mark.django_db


def test_the_service_report_refuses_a_huge_signature_and_takes_a_drawn_one(api, field):
    engineer = field.desk.engineer
    visit = services.check_in(field.visit(), actor=engineer)
    report = services.create_visit_document(
        visit, kind="service_report", data=REPORT, actor=engineer
    )
    api.force_authenticate(field.signer)
    signing = {"signer_name": "钱值班员", "signer_role": "duty"}

    refused = api.post(
        f"/api/documents/{report.pk}/sign/",
        {**signing, "signature": data_uri(bomb_png(4000))},
        format="json",
    )
    signed = api.post(
        f"/api/documents/{report.pk}/sign/",
        {**signing, "signature": sample_signature()},
        format="json",
    )

    assert refused.status_code == 400
    assert "图像尺寸过大（4000×4000 像素）" in refused.json()["fields"]["signature"][0]
    assert signed.status_code == 200, signed.content
    assert SignedDocument.objects.get(pk=report.pk).state == "signed"
