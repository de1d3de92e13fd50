"""Document screens and API: the customer's list of documents to sign, signing in the portal,
the seal check, the PDF download, and another customer's document answering 404."""

import pytest

from weibao.documents import services
from weibao.documents.models import SignedDocument
from weibao.documents.testing import sample_signature

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("weibao.documents.tests.urls"),
]


def test_customer_sees_the_documents_waiting_for_their_signature(client, make_document, world):
    waiting = services.request_signature(make_document(), actor=world.provider_user)
    make_document(title="尚未提交的草稿")
    services.request_signature(make_document(customer=world.customer_b), actor=world.provider_user)
    client.force_login(world.user_a)

    page = client.get("/documents/").content.decode()

    assert "待我签字的文档" in page
    assert f"/documents/{waiting.pk}/sign/" in page
    assert "尚未提交的草稿" not in page
    assert page.count('data-document="') == 1


def test_customer_signs_in_the_portal_and_the_document_is_sealed(client, make_document, world):
    doc = services.request_signature(make_document(), actor=world.provider_user)
    client.force_login(world.user_a)
    form = client.get(f"/documents/{doc.pk}/sign/")
    assert "data-signature-pad" in form.content.decode()
    digest = form.context["form"].initial["digest"]

    response = client.post(
        f"/documents/{doc.pk}/sign/",
        {"signer_name": "钱值班员", "signer_role": "maintenance", "digest": digest,
         "signature": sample_signature()},
    )  # fmt: skip

    assert response.status_code == 302
    doc.refresh_from_db()
    assert (doc.state, doc.signer_name, doc.signed_by) == ("signed", "钱值班员", world.user_a)
    detail = client.get(f"/documents/{doc.pk}/").content.decode()
    assert "已签字" in detail and "钱值班员" in detail
    verified = client.get(f"/documents/{doc.pk}/verify/", HTTP_HX_REQUEST="true")
    assert "完整" in verified.content.decode()


def test_verify_shows_tampering(client, make_document, world):
    doc = services.sign_document(
        make_document(), signer_name="孔工", signer_role="responsible",
        signature=sample_signature(), actor=world.provider_user,
    )  # fmt: skip
    SignedDocument.objects.filter(pk=doc.pk).update(data={**doc.data, "advice": "无"})
    client.force_login(world.provider_user)

    page = client.get(f"/documents/{doc.pk}/verify/").content.decode()

    assert "已被篡改" in page


def test_a_blank_signature_is_refused_on_the_page(client, make_document, world):
    from weibao.documents.testing import blank_signature

    doc = make_document()
    client.force_login(world.user_a)
    response = client.post(
        f"/documents/{doc.pk}/sign/",
        {"signer_name": "钱", "signer_role": "maintenance", "signature": blank_signature()},
    )
    assert response.status_code == 400  # the form again, with the error, as the API answers
    assert "签名是空白的" in response.content.decode()
    assert SignedDocument.objects.get(pk=doc.pk).state == "draft"


def test_pdf_download_is_a_pdf(client, make_document, world):
    doc = make_document()
    client.force_login(world.user_a)
    response = client.get(f"/documents/{doc.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("suffix", ["", "sign/", "pdf/", "verify/"])
def test_another_customers_document_answers_404(client, make_document, world, suffix):
    other = make_document(customer=world.customer_b)
    client.force_login(world.user_a)
    assert client.get(f"/documents/{other.pk}/{suffix}").status_code == 404


def test_customers_cannot_edit_or_request_signatures(client, make_document, world):
    doc = make_document()
    client.force_login(world.user_a)
    assert client.get(f"/documents/{doc.pk}/edit/").status_code == 403
    assert client.post(f"/documents/{doc.pk}/request-signature/").status_code == 403


def test_engineer_edits_a_draft_and_missing_fields_are_named(client, make_document, world):
    doc = make_document()
    client.force_login(world.provider_user)
    response = client.post(
        f"/documents/{doc.pk}/edit/", {"title": doc.title, "phenomenon": "", "actions": "重启"}
    )
    assert "请填写“故障现象”" in response.content.decode()
    response = client.post(
        f"/documents/{doc.pk}/edit/", {"title": "新标题", "phenomenon": "无数据", "actions": "重启"}
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert (doc.title, doc.data["phenomenon"]) == ("新标题", "无数据")


def test_api_lists_signs_verifies_and_serves_the_pdf(api, make_document, world):
    doc = make_document()
    other = make_document(customer=world.customer_b)
    api.force_authenticate(world.user_a)

    listed = api.get("/api/documents/").json()
    assert [d["id"] for d in listed["results"]] == [doc.pk]
    assert api.get(f"/api/documents/{other.pk}/").status_code == 404
    assert api.post(f"/api/documents/{other.pk}/sign/", {}).status_code == 404

    refused = api.post(
        f"/api/documents/{doc.pk}/sign/",
        {"signer_name": "钱", "signer_role": "maintenance", "signature": "data:image/png;base64,"},
        format="json",
    )
    assert refused.status_code == 400 and refused.json()["code"] == "signature_invalid"

    signed = api.post(
        f"/api/documents/{doc.pk}/sign/",
        {"signer_name": "钱", "signer_role": "maintenance", "signature": sample_signature()},
        format="json",
    )
    assert signed.status_code == 200, signed.content
    assert signed.json()["state"] == "signed"
    assert api.get(f"/api/documents/{doc.pk}/verify/").json()["valid"] is True
    pdf = api.get(f"/api/documents/{doc.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_sign_link_asks_who_may_sign_not_the_state(make_document, world):
    """`may_sign` (behind `{% if doc|signable_by:user %}`): the customer's signer of a waiting
    document, not a draft, not another customer's user, not a role without the capability."""
    from weibao.accounts.choices import Role
    from weibao.testing import factories as f

    waiting = services.request_signature(make_document(), actor=world.provider_user)
    draft = make_document(title="草稿")
    keeper = f.UserFactory(provider=world.provider_user.provider, roles=[Role.SPARE_KEEPER])

    assert services.may_sign(waiting, world.user_a)
    assert not services.may_sign(draft, world.user_a)
    assert not services.may_sign(waiting, world.user_b)
    assert not services.may_sign(waiting, keeper)


def test_document_list_searches_sorts_counts_and_exports_what_it_shows(
    client, make_document, world
):
    import io

    from openpyxl import load_workbook

    def exported(params) -> list[tuple]:
        answer = client.get("/documents/", {**params, "format": "xlsx"})
        return list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))

    first = make_document(title="甲 巡检报告")
    second = services.request_signature(make_document(title="乙 维修单"), actor=world.provider_user)
    other = services.request_signature(
        make_document(customer=world.customer_b, title="丙 别家的"), actor=world.provider_user
    )
    client.force_login(world.provider_user)
    page = client.get("/documents/", {"sort": "-title"}).content.decode()
    assert "共 3 条" in page
    assert page.index("甲 巡检报告") < page.index("乙 维修单") < page.index("丙 别家的")
    page = client.get("/documents/", {"q": "维修"}).content.decode()
    assert "共 1 条" in page and "甲 巡检报告" not in page
    rows = exported({"sort": "title"})
    assert rows[0][:2] == ("编号", "文档") and "签字人" in rows[0]
    assert [r[1] for r in rows[1:]] == ["丙 别家的", "乙 维修单", "甲 巡检报告"]
    client.force_login(world.user_a)  # awaiting their signature by default, their own only
    assert [r[1] for r in exported({})[1:]] == [second.title]
    assert sorted(r[1] for r in exported({"state": ""})[1:]) == [second.title, first.title]
    assert other.title not in client.get("/documents/", {"state": ""}).content.decode()


def test_the_api_exports_documents_scoped_and_filtered(api, make_document, world):
    import io

    from openpyxl import load_workbook

    mine = services.request_signature(make_document(title="甲 维修单"), actor=world.provider_user)
    make_document(title="甲 草稿")
    make_document(customer=world.customer_b, title="乙 别家的")
    api.force_authenticate(world.user_a)
    answer = api.get("/api/documents/export/", {"state": "awaiting_signature"})
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("编号", "文档") and [r[1] for r in rows[1:]] == [mine.title]
    answer = api.get("/api/documents/export/")
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    assert sorted(r[1] for r in rows[1:]) == ["甲 维修单", "甲 草稿"]
