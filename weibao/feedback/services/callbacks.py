"""The callback result after resolution (OTH-6), obtained by the support center's call
(`ticket.callback`: agent, account manager) or by the customer's portal survey
(`document.sign`: the ticket's customer answers surveys). Both go through
`tickets.services.record_callback`, which closes a satisfied ticket when nothing else blocks
it and reopens an unsatisfied one into the flow with the reason."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.accounts.choices import Role
from weibao.accounts.selectors import holders_of_role
from weibao.core import permissions
from weibao.core.errors import DomainError
from weibao.core.events import event_text
from weibao.feedback.choices import AGENT_CALLBACK_METHODS, CallbackMethod
from weibao.feedback.models import CallbackRecord
from weibao.notifications.services import notify
from weibao.tickets import services as tickets
from weibao.tickets.models import Ticket, TicketCallback


@transaction.atomic
def record_agent_callback(
    ticket: Ticket,
    *,
    method: str,
    respondent: str,
    satisfied: bool,
    score,
    note: str = "",
    actor,
) -> CallbackRecord:
    """The support center's callback (客户回访, `ticket.callback`): who called whom, how, the
    outcome and the score. The satisfaction rule is the ticket's one rule
    (`tickets.services.record_callback`: score 1–5 required, "satisfied" with 1–2 refused as
    `score_contradicts_satisfied`, not satisfied needs the reason and reopens the ticket)."""
    permissions.require(actor, Capability.TICKET_CALLBACK, customer_id=ticket.customer_id)
    if method not in dict(AGENT_CALLBACK_METHODS):
        raise DomainError(_("请选择回访方式。"), field="method")
    if not respondent.strip():
        raise DomainError(_("请填写受访人。"), field="respondent")
    callback = tickets.record_callback(
        ticket, satisfied=bool(satisfied), note=note.strip(), score=score, actor=actor
    )
    record = CallbackRecord.objects.create(
        ticket=ticket, callback=callback, method=method, respondent=respondent.strip()
    )
    if not callback.satisfied:
        _tell_unsatisfied(ticket, callback)
    return record


@transaction.atomic
def answer_survey(
    ticket: Ticket, *, score, comment: str = "", satisfied: bool = True, actor
) -> CallbackRecord:
    """The customer answers the portal survey for a resolved ticket (`document.sign`: score
    1–5, satisfied or not, comment), under the ticket's one satisfaction rule; not satisfied
    needs the comment as the reason and reopens the ticket."""
    permissions.require(actor, Capability.DOCUMENT_SIGN, customer_id=ticket.customer_id)
    if actor.customer_id != ticket.customer_id:
        raise DomainError(_("只有本单位的客户用户可以填写满意度调查。"), code="customer_only")
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if (
        ticket.resolved_at
        and TicketCallback.objects.filter(ticket=ticket, at__gte=ticket.resolved_at).exists()
    ):
        raise DomainError(_("该工单已有回访结果，无需重复填写。"), code="already_answered")
    comment = comment.strip()
    note = _("客户门户满意度调查（%(score)s 分）：%(comment)s") % {
        "score": score,
        "comment": comment,
    }
    try:
        callback = tickets.record_callback(
            ticket, satisfied=bool(satisfied), note=note if comment else "", score=score,
            actor=actor,
        )  # fmt: skip
    except DomainError as error:
        if error.field != "note":
            raise
        # The reason is the survey's comment.
        raise DomainError(
            _("请说明不满意的原因，我们会重新处理。"), code=error.code, field="comment"
        ) from error
    name = actor.get_full_name() or actor.get_username()
    record = CallbackRecord.objects.create(
        ticket=ticket, callback=callback, method=CallbackMethod.PORTAL_SURVEY, respondent=name
    )
    if not callback.satisfied:
        _tell_unsatisfied(ticket, callback)
    return record


def _tell_unsatisfied(ticket: Ticket, callback: TicketCallback) -> None:
    """The account manager owns satisfaction; the engineer has the ticket back."""
    ticket.refresh_from_db(fields=["assigned_engineer"])
    people = holders_of_role(Role.ACCOUNT_MANAGER, ticket.customer_id)
    if ticket.assigned_engineer is not None:
        people.append(ticket.assigned_engineer)
    notify(
        recipients=people,
        subject=event_text("【客户不满意】%(ticket)s 已重新打开", ticket=ticket.number),
        body=event_text("%(customer)s：%(note)s", customer=ticket.customer, note=callback.note),
        kind="callback_unsatisfied",
        dedupe_key=f"callback:{callback.pk}:unsatisfied",
        customer=ticket.customer,
        ref_type="ticket",
        ref_id=str(ticket.pk),
    )
