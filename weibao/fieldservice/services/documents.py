"""The paperwork of a visit: documents filed on it (the technical service report filled from
the ticket's cause, fix and prevention), the customer's refusal to sign, the customer-approved
technical plan that may then be carried out, and the L1 aftercare completed by signed
documents (ESC-3)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.capabilities import Capability
from weibao.core import clock, permissions
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import event_text, field_choice, with_note
from weibao.documents import kinds as registry
from weibao.documents import services as documents
from weibao.documents.choices import DocumentState
from weibao.documents.models import SignedDocument
from weibao.documents.selectors import documents_of
from weibao.escalations import services as escalations
from weibao.escalations.models import EmergencyAction
from weibao.fieldservice import kinds
from weibao.fieldservice.choices import MajorOperation, VisitEvent
from weibao.fieldservice.models import PlanExecution, Visit
from weibao.tickets.choices import Level


def kinds_for_visit(visit: Visit) -> list[registry.DocumentKind]:
    """The documents an engineer may file on this visit (L1 tickets add the aftercare)."""
    codes = list(kinds.VISIT_KINDS)
    if visit.ticket.level == Level.L1:
        codes += kinds.L1_KINDS
    return [registry.get(code) for code in codes]


def initial_data(visit: Visit, kind: str) -> dict:
    """What the form can say already, from the ticket and the visit."""
    ticket = visit.ticket
    if kind == kinds.SERVICE_APPLICATION:
        arrived = visit.checked_in_at or clock.now()
        return {
            "request": ticket.fault_phenomenon,
            "arrived_at": timezone.localtime(arrived).strftime("%Y-%m-%d %H:%M"),
        }
    if kind == kinds.SERVICE_REPORT:
        return service_report_from_ticket(ticket)
    if kind == kinds.TECHNICAL_PLAN:
        return {"major_operation": MajorOperation.NONE}
    if kind == kinds.L1_OBSERVATION:
        return {"observed_from": timezone.localtime(clock.now()).strftime("%Y-%m-%d")}
    return {}


def service_report_from_ticket(ticket) -> dict:
    """The technical service report as the ticket's resolution says it (TKT-4, ONS-4): the
    phenomenon, the cause (a `tickets.ResolutionCause`), the fix and the prevention advice."""
    cause = getattr(ticket, "cause", None)
    values = {
        "phenomenon": ticket.fault_phenomenon,
        "cause": str(cause) if cause is not None else "",
        "actions": getattr(ticket, "fix", "") or "",
        "prevention": getattr(ticket, "prevention", "") or "",
    }
    return {k: v for k, v in values.items() if v}


@transaction.atomic
def create_visit_document(visit: Visit, *, kind: str, data: dict, actor, title: str = ""):
    """File a document of `kind` on the visit, for the visit's ticket, site and asset."""
    permissions.require(actor, Capability.VISIT_WORK, customer_id=visit.ticket.customer_id)
    if kind not in {k.code for k in kinds_for_visit(visit)}:
        raise DomainError(_("该现场服务不能填写这种文档。"), code="unknown_kind", field="kind")
    ticket = visit.ticket
    label = registry.get(kind).label
    return documents.create_document(
        kind=kind,
        title=title or f"{label} · {ticket.number} {ticket.site or ''}".strip(),
        customer=ticket.customer,
        data=data,
        actor=actor,
        site=ticket.site,
        asset=ticket.asset,
        ticket=ticket,
        subject=visit,
    )


def _service_report_to_refuse(visit: Visit) -> SignedDocument:
    reports = (
        visit_documents(visit).filter(kind=kinds.SERVICE_REPORT).exclude(state=DocumentState.SIGNED)
    )
    report = reports.order_by("-created_at", "-id").first()
    if report is None:
        raise DomainError(
            _("请先填写本次的技术服务报告，再记录客户拒签。"), code="service_report_missing"
        )
    return report


@transaction.atomic
def record_signature_refused(target, *, reason: str, actor) -> SignedDocument:
    """The customer refuses to sign `target` — a document, or a visit (its latest unsigned
    technical service report) — recorded with the reason (ONS-4). A visit whose report was
    refused may then check out; the refusal shows on the visit and the ticket timeline."""
    doc = _service_report_to_refuse(target) if isinstance(target, Visit) else target
    doc = documents.record_signature_refused(doc, reason=reason, actor=actor)
    visit = doc.subject if doc.subject_type_id else None
    if isinstance(visit, Visit):
        record_event(visit, kind=VisitEvent.SIGNATURE_REFUSED, actor=actor,
                     message=event_text("客户拒签《%(title)s》：%(reason)s", title=doc.title,
                                        reason=doc.refused_reason))  # fmt: skip
    return doc


def complete_aftercare(doc: SignedDocument, *, actor) -> EmergencyAction | None:
    """Called when a document is signed: an observation record, service report, root-cause
    analysis or leadership debrief of an L1 ticket completes its aftercare action (ESC-3),
    unless that action is already done or waived."""
    code = kinds.AFTERCARE_ACTIONS.get(doc.kind)
    ticket = doc.ticket
    if code is None or ticket is None or ticket.level != Level.L1:
        return None
    action = EmergencyAction.objects.filter(ticket=ticket, code=code).first()
    if action is None or action.settled:
        return None
    note = _("%(number)s《%(title)s》已由 %(signer)s 签字") % {
        "number": doc.number, "title": doc.title, "signer": doc.signer_name}  # fmt: skip
    return escalations.complete_action(ticket, code, actor=actor, note=note)


def plan_refusal(plan: SignedDocument) -> str | None:
    """Why the technical plan may not be carried out yet, or None (`can_mark_plan_executed`)."""
    if plan.kind != kinds.TECHNICAL_PLAN:
        return _("这不是技术方案。")
    if hasattr(plan, "execution"):
        return _("该方案已记录执行。")
    if plan.state != DocumentState.SIGNED:
        return _("技术方案须经客户签字批准后才能实施。")
    operation = plan.data.get("major_operation") or MajorOperation.NONE
    if operation != MajorOperation.NONE and not _major_operation_approved(plan):
        return _("方案涉及重大操作（%(operation)s），须经客户维护部门签字批准。") % {
            "operation": MajorOperation(operation).label}  # fmt: skip
    return None


def _major_operation_approved(plan: SignedDocument) -> bool:
    approvals = SignedDocument.objects.filter(
        kind=kinds.MAJOR_OPERATION, state=DocumentState.SIGNED, customer_id=plan.customer_id
    )
    if plan.subject_type_id:
        approvals = approvals.filter(subject_type_id=plan.subject_type_id,
                                     subject_id=plan.subject_id)  # fmt: skip
    elif plan.ticket_id:
        approvals = approvals.filter(ticket_id=plan.ticket_id)
    return approvals.exists()


@transaction.atomic
def mark_plan_executed(plan: SignedDocument, *, actor, note: str = "") -> PlanExecution:
    """Record that the approved plan was carried out, by whom the plan named (ONS-3)."""
    plan = SignedDocument.objects.select_for_update().get(pk=plan.pk)
    permissions.require(actor, Capability.VISIT_WORK, customer_id=plan.customer_id)
    reason = plan_refusal(plan)
    if reason is not None:
        raise DomainError(reason, code="plan_not_approved")
    visit = plan.subject if isinstance(plan.subject, Visit) else None
    execution = PlanExecution.objects.create(
        plan=plan,
        visit=visit,
        executed_by=plan.data.get("executed_by", ""),
        executed_at=clock.now(),
        recorded_by=actor,
        note=note.strip(),
    )
    record_event(plan, kind=VisitEvent.PLAN_EXECUTED, actor=actor,
                 message=with_note(
                     event_text("技术方案《%(title)s》已实施（%(by)s）", title=plan.title,
                                by=field_choice(execution, "executed_by")),
                     note, gettext_noop("%(event)s：%(note)s")))  # fmt: skip
    return execution


def visit_documents(visit: Visit):
    return documents_of(visit).select_related("ticket")
