"""The technical service report of a phone or remote resolution (TKT-2 §1.1.3, TKT-4, ONS-4;
issue 9 #4): resolved → the report, filled from the ticket's phenomenon, cause, fix and
prevention advice, is handed to the customer for signature → customer callback.

`report_resolution` is registered with `tickets.flow.register_on_resolved` in
`FieldserviceConfig.ready()` and runs inside the resolving transaction. A ticket with a
field visit is left alone: its report is filed on the visit (`create_visit_document`)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.core import permissions
from weibao.documents import kinds as registry
from weibao.documents import services as documents
from weibao.documents.choices import DocumentState
from weibao.documents.models import SignedDocument
from weibao.fieldservice import kinds
from weibao.fieldservice.choices import VisitState
from weibao.fieldservice.models import Visit
from weibao.fieldservice.services.documents import service_report_from_ticket


def resolution_report_data(ticket) -> dict:
    """The report's form as the resolution says it; `result` says how and when it was
    resolved, and a missing prevention advice reads "无" (the form requires both)."""
    how = _("远程支持") if ticket.remote_consent_at else _("电话支持")
    resolved = timezone.localtime(ticket.resolved_at).strftime("%Y-%m-%d %H:%M")
    data = {
        "phenomenon": ticket.fault_phenomenon or "—",
        "result": _("故障已通过%(how)s解决（%(at)s）") % {"how": how, "at": resolved},
        "prevention": _("无"),
        **service_report_from_ticket(ticket),
    }
    return data


def resolution_report_of(ticket) -> SignedDocument | None:
    """The unsigned report of the ticket's phone/remote resolution, or None."""
    return (
        SignedDocument.objects.filter(
            ticket=ticket,
            kind=kinds.SERVICE_REPORT,
            subject_type=ContentType.objects.get_for_model(type(ticket)),
            subject_id=str(ticket.pk),
        )
        .exclude(state=DocumentState.SIGNED)
        .order_by("-created_at", "-id")
        .first()
    )


def _author(ticket, actor):
    """The resolver files the paperwork when they may (`visit.work`); otherwise it is filed
    by the system on the resolution's behalf (resolving was the authorised act)."""
    if actor is not None and permissions.can(
        actor, Capability.VISIT_WORK, customer_id=ticket.customer_id
    ):
        return actor
    return None


@transaction.atomic
def report_resolution(ticket, actor) -> SignedDocument | None:
    """After `resolve`: a ticket without a field visit gets its technical service report
    (subject: the ticket), awaiting the customer's signature. Resolving again after a reopen
    updates the unsigned report instead of adding a second one; a signed one stays as it was
    and a new report is made for the new resolution."""
    if Visit.objects.filter(ticket_id=ticket.pk).exclude(state=VisitState.CANCELLED).exists():
        return None
    author = _author(ticket, actor)
    data = resolution_report_data(ticket)
    doc = resolution_report_of(ticket)
    if doc is None:
        label = registry.get(kinds.SERVICE_REPORT).label
        doc = documents.create_document(
            kind=kinds.SERVICE_REPORT,
            title=f"{label} · {ticket.number} {ticket.site or ''}".strip(),
            customer=ticket.customer,
            data=data,
            actor=actor,
            site=ticket.site,
            asset=ticket.asset,
            ticket=ticket,
            subject=ticket,
        )
    else:
        doc = documents.update_document(doc, data=data, actor=author)
    if doc.state != DocumentState.AWAITING_SIGNATURE:
        doc = documents.request_signature(doc, actor=author)
    return doc
