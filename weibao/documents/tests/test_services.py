"""Signed documents: complete forms only, frozen once signed, tampering detected, a PDF with
the Chinese text, and signatures that are real drawings."""

import base64
import io

import pytest
from pypdf import PdfReader

from weibao.core.errors import DomainError
from weibao.core.models import ChangeLog
from weibao.documents import services
from weibao.documents.models import SignedDocument
from weibao.documents.testing import blank_signature, sample_signature
from weibao.notifications.models import Notification

pytestmark = pytest.mark.django_db


def sign(doc, user, **extra):
    values = {
        "signer_name": "孔工",
        "signer_role": "responsible",
        "signature": sample_signature(),
        "actor": user,
        **extra,
    }
    return services.sign_document(doc, **values)


def test_missing_required_fields_are_refused_with_each_field_named(make_document):
    with pytest.raises(services.DocumentInvalid) as refused:
        make_document(data={"phenomenon": "  ", "advice": "无"})
    assert set(refused.value.errors) == {"phenomenon", "actions"}
    assert "故障现象" in refused.value.errors["phenomenon"]
    assert refused.value.code == "document_invalid"
    assert not SignedDocument.objects.exists()


def test_a_draft_can_be_corrected_but_a_signed_document_cannot(make_document, world):
    doc = make_document()
    services.update_document(
        doc, data={**doc.data, "advice": "每月检查电源"}, actor=world.provider_user
    )
    doc = sign(doc, world.user_a)

    with pytest.raises(DomainError) as refused:
        services.update_document(
            doc, data={**doc.data, "advice": "改过"}, actor=world.provider_user
        )

    assert refused.value.code == "document_signed"
    doc.refresh_from_db()
    assert doc.data["advice"] == "每月检查电源"
    with pytest.raises(DomainError, match="已签字"):
        sign(doc, world.user_a)


def test_signing_stores_signer_time_hash_and_pdf_and_the_seal_holds(
    make_document, world, frozen_clock
):
    signed_at = frozen_clock(__import__("datetime").datetime(2026, 3, 2, 10, 15, 30))
    doc = sign(make_document(), world.user_a)

    doc = SignedDocument.objects.get(pk=doc.pk)
    assert (doc.state, doc.signer_name, doc.signer_role) == ("signed", "孔工", "responsible")
    assert doc.signed_at == signed_at
    assert doc.signed_by == world.user_a
    assert len(doc.content_hash) == 64
    assert bytes(doc.pdf).startswith(b"%PDF")
    assert services.verify_document(doc) is True


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda d: {"data": {**d.data, "advice": d.data["advice"][:-1] + "年"}},
                     id="one character of the data"),
        pytest.param(lambda d: {"signer_name": "孔二"}, id="signer"),
        pytest.param(lambda d: {"signer_role": "leader"}, id="role"),
        pytest.param(lambda d: {"title": d.title + " "}, id="title"),
        pytest.param(lambda d: {"signature_image": sample_signature(seed=9)}, id="signature"),
        pytest.param(lambda d: {"pdf": bytes(d.pdf)[:-10] + b"0" * 10}, id="stored pdf"),
    ],
)  # fmt: skip
def test_any_change_in_the_database_after_signing_fails_verification(make_document, world, change):
    doc = sign(make_document(), world.user_a)
    assert services.verify_document(doc)

    SignedDocument.objects.filter(pk=doc.pk).update(**change(doc))

    assert services.verify_document(doc) is False


def test_one_byte_of_stored_json_changed_is_detected(make_document, world):
    doc = sign(make_document(), world.user_a)
    tampered = dict(doc.data, phenomenon=doc.data["phenomenon"].replace("溧水", "溧阳"))

    SignedDocument.objects.filter(pk=doc.pk).update(data=tampered)

    assert services.verify_document(doc) is False


def test_pdf_contains_the_chinese_heading_and_content_as_text(make_document, world):
    doc = sign(make_document(), world.user_a)

    reader = PdfReader(io.BytesIO(bytes(doc.pdf)))
    text = "".join(page.extract_text() for page in reader.pages)
    fonts = reader.pages[0]["/Resources"]["/Font"]
    font_names = {str(fonts[name].get_object()["/BaseFont"]) for name in fonts}

    assert "现场技术服务记录" in text
    assert "溧水端局" in text and "更换 FSU 电源模块" in text
    assert "孔工" in text
    assert "\ufffd" not in text and "□" not in text  # no replacement glyphs or empty boxes
    assert any("Noto-Sans-CJK-SC" in name for name in font_names), font_names  # embedded


def test_draft_pdf_is_printed_fresh_and_marked_as_draft(make_document):
    doc = make_document()
    text = PdfReader(io.BytesIO(services.document_pdf(doc))).pages[0].extract_text()
    assert "草稿" in text
    assert SignedDocument.objects.get(pk=doc.pk).pdf is None


@pytest.mark.parametrize(
    "signature, code",
    [
        ("", "signature_missing"),
        ("data:image/jpeg;base64,/9j/4AAQ", "signature_invalid"),
        ("data:image/png;base64,not-base64!!", "signature_invalid"),
        ("data:image/png;base64," + base64.b64encode(b"GIF89a....").decode(), "signature_invalid"),
        ("data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\nbroken").decode(),
         "signature_invalid"),
        (blank_signature(), "signature_blank"),
        (sample_signature(width=40, height=20), "signature_too_small"),
    ],
)  # fmt: skip
def test_signing_with_an_invalid_image_is_refused(make_document, world, signature, code):
    doc = make_document()
    with pytest.raises(DomainError) as refused:
        sign(doc, world.user_a, signature=signature)
    assert refused.value.code == code
    assert refused.value.field == "signature"
    assert SignedDocument.objects.get(pk=doc.pk).state == "draft"


def test_only_the_kinds_signer_roles_may_sign(make_document, world):
    with pytest.raises(DomainError) as refused:
        sign(make_document(), world.user_a, signer_role="duty")
    assert refused.value.code == "wrong_signer_role"
    assert "负责人" in refused.value.message


def test_only_a_customer_leader_account_signs_as_the_leader(make_document, world):
    from weibao.accounts.choices import Role
    from weibao.testing.factories import CustomerUserFactory

    with pytest.raises(DomainError) as refused:
        sign(make_document(), world.user_a, signer_role="leader")
    assert refused.value.code == "wrong_signer_role"
    leader = CustomerUserFactory(customer=world.customer_a, roles=[Role.CUSTOMER_LEADER])
    assert sign(make_document(), leader, signer_role="leader").state == "signed"


def test_a_customer_user_cannot_sign_another_customers_document(make_document, world):
    doc = make_document(customer=world.customer_b)
    with pytest.raises(DomainError) as refused:
        sign(doc, world.user_a)
    assert refused.value.code == "wrong_customer"


def test_signer_is_told_when_the_data_changed_since_they_read_it(make_document, world):
    from weibao.documents.integrity import data_digest

    doc = make_document()
    seen = data_digest(doc.data)
    services.update_document(
        doc, data={**doc.data, "actions": "另行处理"}, actor=world.provider_user
    )
    with pytest.raises(DomainError) as refused:
        sign(doc, world.user_a, data_digest=seen)
    assert refused.value.code == "document_changed"


def test_requesting_a_signature_tells_the_customers_users(make_document, world):
    for user in (world.user_a, world.user_b):
        user.email = f"{user.username}@example.cn"
        user.save()
    doc = services.request_signature(make_document(), actor=world.provider_user)

    assert doc.state == "awaiting_signature"
    told = Notification.objects.filter(kind="document_signature_requested")
    assert {n.recipient for n in told if n.recipient} == {world.user_a}
    with pytest.raises(DomainError) as again:
        services.request_signature(doc, actor=world.provider_user)
    assert again.value.code == "already_awaiting"


def test_signing_joins_the_site_archive(make_document, world):
    doc = sign(make_document(), world.user_a)
    entry = ChangeLog.objects.get(kind="document.signed")
    assert entry.site == world.site_a and entry.customer == world.customer_a
    assert "孔工" in entry.message and doc.title in entry.message


def test_documents_must_belong_to_the_customer_of_their_site(make_document, world):
    with pytest.raises(DomainError) as refused:
        make_document(site=world.site_b)
    assert refused.value.code == "wrong_customer"
