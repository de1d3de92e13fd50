"""Writes for signed documents: create, edit while unsigned, ask the customer to sign, sign
(hash + PDF, frozen from then on), record the customer's refusal to sign, and verify.

    doc = create_document(kind="service_report", title="技术服务报告", customer=c,
                          data={...}, actor=engineer, ticket=t, subject=visit)
    request_signature(doc, actor=engineer)
    sign_document(doc, signer_name="孔工", signer_role="responsible",
                  signature="data:image/png;base64,…", actor=customer_user)
    verify_document(doc)  # False once anything it sealed was changed in the database
    record_signature_refused(doc, reason="客户负责人不在现场，拒绝代签", actor=engineer)

Who may sign is the kind's (`DocumentKind.sign_capability` / `witness_capability`, PRM-1).
"""

from __future__ import annotations

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.accounts.choices import CUSTOMER_ROLES, Role
from weibao.core import clock, permissions
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import event_text
from weibao.documents import integrity, kinds
from weibao.documents.choices import DocumentEvent, DocumentState
from weibao.documents.models import SignedDocument
from weibao.documents.pdf import render_pdf
from weibao.notifications.services import notify
from weibao.tenancy.models import ContactRole


class DocumentInvalid(DomainError):
    """The form is incomplete; `errors` maps each field to its message."""

    code = "document_invalid"

    def __init__(self, errors: dict[str, str]):
        first = next(iter(errors))
        super().__init__("；".join(errors.values()), field=first)
        self.errors = errors


def _kind(kind: str) -> kinds.DocumentKind:
    try:
        return kinds.get(kind)
    except KeyError:
        raise DomainError(
            _("未知的文档类型：%(kind)s") % {"kind": kind}, code="unknown_kind", field="kind"
        ) from None


def clean_data(kind: kinds.DocumentKind, data) -> dict:
    """The form data with text trimmed, or `DocumentInvalid` naming every missing field.
    Keys the kind does not declare are kept (structured extras such as checklists)."""
    if not isinstance(data, dict):
        raise DomainError(_("文档内容必须是键值对象。"), code="document_invalid", field="data")
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    errors = {}
    for field in kind.fields:
        value = cleaned.get(field.name)
        if field.required and value in (None, "", [], {}):
            errors[field.name] = _("请填写“%(label)s”。") % {"label": field.label}
        elif field.choices and value not in (None, "") and str(value) not in dict(field.choices):
            errors[field.name] = _("“%(label)s”的选项无效。") % {"label": field.label}
    if errors:
        raise DocumentInvalid(errors)
    return integrity.plain_json(cleaned)


def _check_scope(customer, *, site, asset, ticket) -> None:
    for obj, label in ((site, _("机房")), (asset, _("设备")), (ticket, _("工单"))):
        if obj is not None and obj.customer_id != customer.pk:
            raise DomainError(_("%(what)s不属于该客户。") % {"what": label}, code="wrong_customer")


@transaction.atomic
def create_document(
    *,
    kind: str,
    title: str,
    customer,
    data: dict,
    actor,
    site=None,
    asset=None,
    ticket=None,
    subject=None,
) -> SignedDocument:
    """A new draft of `kind` with its form data checked (required fields filled)."""
    definition = _kind(kind)
    _check_scope(customer, site=site, asset=asset, ticket=ticket)
    doc = SignedDocument(
        kind=kind,
        title=(title or definition.label).strip()[:200],
        customer=customer,
        site=site or (asset.site if asset is not None else None),
        asset=asset,
        ticket=ticket,
        data=clean_data(definition, data),
        created_by=actor,
    )
    if subject is not None:
        doc.subject_type = ContentType.objects.get_for_model(subject)
        doc.subject_id = str(subject.pk)
    doc.save()
    return doc


def _locked(doc: SignedDocument) -> SignedDocument:
    return SignedDocument.objects.select_for_update().get(pk=doc.pk)


def check_may_sign(doc: SignedDocument, definition: kinds.DocumentKind, actor) -> None:
    """`PermissionRefused` (403) unless `actor` may sign a document of this kind: a customer's
    user holding the kind's `sign_capability`, or provider staff holding its
    `witness_capability` (the customer signs on the engineer's phone). `actor=None`: system."""
    if actor is None:
        return
    customer = doc.customer_id
    if permissions.can(actor, definition.sign_capability, customer_id=customer):
        return
    witness = definition.witness_capability
    if witness and not actor.customer_id and permissions.can(actor, witness, customer_id=customer):
        return
    permissions.require(actor, definition.sign_capability, customer_id=customer)


def may_sign(doc: SignedDocument, actor) -> bool:
    """Whether `actor` may sign `doc` now: it waits for the customer's signature, belongs to
    the actor's own customer (for a customer's user), and `check_may_sign` lets them. The
    pages ask this instead of comparing states (`{% if doc|signable_by:user %}`)."""
    if doc.state != DocumentState.AWAITING_SIGNATURE:
        return False
    if actor is None or not actor.is_authenticated:
        return False
    if actor.customer_id and actor.customer_id != doc.customer_id:
        return False
    definition = doc.definition
    if definition is None:
        return False
    try:
        check_may_sign(doc, definition, actor)
    except permissions.PermissionRefused:
        return False
    return True


def _require_author(doc: SignedDocument, actor) -> None:
    """Filling in and handing over paperwork is provider staff's field work (`visit.work`)."""
    if actor is not None:
        permissions.require(actor, Capability.VISIT_WORK, customer_id=doc.customer_id)


def _refuse_if_signed(doc: SignedDocument) -> None:
    if doc.state == DocumentState.SIGNED:
        raise DomainError(_("文档已签字，不能再修改。"), code="document_signed")


@transaction.atomic
def update_document(doc: SignedDocument, *, data: dict, actor, title: str | None = None):
    """Replace the form data of an unsigned document; refused once it is signed."""
    doc = _locked(doc)
    _require_author(doc, actor)
    _refuse_if_signed(doc)
    doc.data = clean_data(_kind(doc.kind), data)
    fields = ["data"]
    if doc.state == DocumentState.SIGNATURE_REFUSED:  # the refusal was of the old content
        doc.state = DocumentState.DRAFT
        fields.append("state")
    if title is not None and title.strip():
        doc.title = title.strip()[:200]
        fields.append("title")
    doc.save(update_fields=fields)
    return doc


def customer_signers(customer) -> list:
    """The customer's users who can sign: active, holding a customer role."""
    from weibao.accounts.models import User

    return list(
        User.objects.filter(
            customer=customer, is_active=True, role_assignments__role__in=CUSTOMER_ROLES
        ).distinct()
    )


@transaction.atomic
def request_signature(doc: SignedDocument, *, actor) -> SignedDocument:
    """Hand the document to the customer: it waits for a signature, and the customer's users
    are told (outbox, same transaction)."""
    doc = _locked(doc)
    _require_author(doc, actor)
    _refuse_if_signed(doc)
    if doc.state == DocumentState.AWAITING_SIGNATURE:
        raise DomainError(_("文档已在等待客户签字。"), code="already_awaiting")
    clean_data(_kind(doc.kind), doc.data)
    doc.state = DocumentState.AWAITING_SIGNATURE
    doc.save(update_fields=["state"])
    record_event(doc, kind=DocumentEvent.SIGNATURE_REQUESTED, actor=actor,
                 message=event_text("%(kind)s《%(title)s》请客户签字", kind=doc.kind_label,
                                    title=doc.title))  # fmt: skip
    notify(
        recipients=customer_signers(doc.customer),
        subject=event_text("请签字：%(kind)s《%(title)s》", kind=doc.kind_label, title=doc.title),
        body=event_text(
            "%(number)s %(title)s 等待您在客户门户签字。", number=doc.number, title=doc.title
        ),
        kind="document_signature_requested",
        dedupe_key=f"document:{doc.pk}:signature_requested",
        customer=doc.customer,
        ref_type="document",
        ref_id=str(doc.pk),
    )
    return doc


@transaction.atomic
def sign_document(
    doc: SignedDocument,
    *,
    signer_name: str,
    signer_role: str,
    signature: str,
    actor,
    data_digest: str | None = None,
) -> SignedDocument:
    """Sign the document: the signer, the time and the drawn signature are stored, the content
    hash is computed, the PDF is printed and kept, and the event joins the customer archive.
    `data_digest`, when given, must match the data the signer was shown."""
    doc = _locked(doc)
    _refuse_if_signed(doc)
    definition = _kind(doc.kind)
    if actor is not None and actor.customer_id and actor.customer_id != doc.customer_id:
        raise DomainError(_("只能签署本单位的文档。"), code="wrong_customer")
    check_may_sign(doc, definition, actor)
    if data_digest is not None and data_digest != integrity.data_digest(doc.data):
        raise DomainError(_("文档内容已被修改，请重新阅读后再签字。"), code="document_changed")
    signer_name = (signer_name or "").strip()
    if not signer_name:
        raise DomainError(_("请填写签字人姓名。"), code="signer_missing", field="signer_name")
    if signer_role not in dict(definition.signer_role_choices()):
        raise DomainError(
            _("该文档须由以下人员签字：%(roles)s。")
            % {"roles": "、".join(str(lbl) for _c, lbl in definition.signer_role_choices())},
            code="wrong_signer_role",
            field="signer_role",
        )
    customer_user = actor is not None and actor.customer_id
    if (
        signer_role == ContactRole.LEADER
        and customer_user
        and not actor.has_role(Role.CUSTOMER_LEADER)
    ):
        raise DomainError(
            _("以主要领导身份签字需要客户负责人账号。"),
            code="wrong_signer_role",
            field="signer_role",
        )
    clean_data(definition, doc.data)
    doc.signer_name = signer_name[:100]
    doc.signer_role = signer_role
    doc.signature_image = integrity.check_signature(signature)
    doc.signed_at = clock.now().replace(microsecond=0)
    doc.signed_by = actor
    doc.state = DocumentState.SIGNED
    doc.refused_at, doc.refused_reason, doc.refused_recorded_by = None, "", None
    doc.content_hash = integrity.hash_of_document(doc)
    pdf = _render(doc, definition)
    doc.pdf = pdf
    doc.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    doc.save()
    record_event(doc, kind=DocumentEvent.SIGNED, actor=actor,
                 message=event_text("%(kind)s《%(title)s》已由 %(signer)s（%(role)s）签字",
                                    kind=definition.label, title=doc.title, signer=signer_name,
                                    role=_signer_role(doc)),
                 data={"content_hash": doc.content_hash})  # fmt: skip
    if doc.created_by_id and doc.created_by_id != getattr(actor, "pk", None):
        notify(
            recipients=[doc.created_by],
            subject=event_text(
                "已签字：%(kind)s《%(title)s》", kind=definition.label, title=doc.title
            ),
            body=event_text("%(signer)s 已签字。", signer=signer_name),
            kind="document_signed",
            dedupe_key=f"document:{doc.pk}:signed",
            customer=doc.customer,
            ref_type="document",
            ref_id=str(doc.pk),
        )
    if definition.on_signed is not None:
        definition.on_signed(doc, actor=actor)
    return doc


@transaction.atomic
def record_signature_refused(doc: SignedDocument, *, reason: str, actor) -> SignedDocument:
    """The customer refuses to sign: recorded with the reason, who recorded it and when
    (state `signature_refused`). Provider staff holding the kind's `witness_capability`
    record it; the customer may still sign later. A signed document cannot be refused."""
    doc = _locked(doc)
    _refuse_if_signed(doc)
    definition = _kind(doc.kind)
    capability = definition.witness_capability or definition.sign_capability
    permissions.require(actor, capability, customer_id=doc.customer_id)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写客户拒签的原因。"), code="reason_required", field="reason")
    doc.state = DocumentState.SIGNATURE_REFUSED
    doc.refused_at = clock.now()
    doc.refused_reason = reason
    doc.refused_recorded_by = actor
    doc.save(update_fields=["state", "refused_at", "refused_reason", "refused_recorded_by"])
    message = event_text("%(kind)s《%(title)s》客户拒签：%(reason)s", kind=definition.label,
                         title=doc.title, reason=reason)  # fmt: skip
    record_event(doc, kind=DocumentEvent.SIGNATURE_REFUSED, actor=actor, message=message,
                 data={"reason": reason})  # fmt: skip
    if doc.ticket_id:
        record_event(doc.ticket, kind=DocumentEvent.SIGNATURE_REFUSED, actor=actor,
                     message=message, data={"document": doc.pk, "reason": reason})  # fmt: skip
    return doc


def _signer_role(doc: SignedDocument) -> ContactRole | str:
    """The signer's role, read in the reader's language when it is one of the contact roles."""
    if doc.signer_role in ContactRole.values:
        return ContactRole(doc.signer_role)
    return doc.signer_role_label


def verify_document(doc: SignedDocument) -> bool:
    """Recompute the seal from the stored row: False when the document is not signed or when
    its data, title, signer, time, signature image or stored PDF no longer match."""
    stored = SignedDocument.objects.filter(pk=doc.pk).first()
    if stored is None or stored.state != DocumentState.SIGNED or stored.signed_at is None:
        return False
    if integrity.hash_of_document(stored) != stored.content_hash:
        return False
    pdf = bytes(stored.pdf or b"")
    return bool(pdf) and hashlib.sha256(pdf).hexdigest() == stored.pdf_sha256


def document_pdf(doc: SignedDocument) -> bytes:
    """The PDF kept at signing, or for an unsigned document a fresh print marked as a draft."""
    if doc.state == DocumentState.SIGNED and doc.pdf:
        return bytes(doc.pdf)
    return _render(doc, _kind(doc.kind))


def _render(doc: SignedDocument, definition: kinds.DocumentKind) -> bytes:
    context = {
        "doc": doc,
        "kind": definition,
        "rows": definition.rows(doc.data),
        "extras": {
            k: v for k, v in doc.data.items() if k not in {f.name for f in definition.fields}
        },
        "draft": doc.state != DocumentState.SIGNED,
    }
    return render_pdf(definition.template, context)
