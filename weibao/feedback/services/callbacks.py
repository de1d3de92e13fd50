"""The callback result after resolution (OTH-6), obtained by the support center's call or by
the customer's portal survey. Both go through `tickets.services.record_callback`, which
closes a satisfied ticket when nothing else blocks it and reopens an unsatisfied one into the
flow with the reason."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from weibao.accounts.choices import Role
from weibao.accounts.selectors import holders_of_role
from weibao.core.errors import DomainError
from weibao.feedback.choices import AGENT_CALLBACK_METHODS, UNSATISFIED_MAX_SCORE, CallbackMethod
from weibao.feedback.models import CallbackRecord
from weibao.notifications.services import notify
from weibao.tickets import services as tickets
from weibao.tickets.models import Ticket, TicketCallback


def is_satisfied(satisfied: bool, score: int | None) -> bool:
    """Satisfied means the customer said so and did not score 1 or 2."""
    return bool(satisfied) and (score is None or score > UNSATISFIED_MAX_SCORE)


def _score(score) -> int:
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise DomainError(_("请选择 1 到 5 分的满意度。"), field="score")
    return value


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
    """The support center's callback (客户回访): who called whom, how, the outcome, whether
    the customer is satisfied and the score. Not satisfied (or a score of 1–2) reopens the
    ticket with the note as the reason."""
    if actor is None or actor.customer_id is not None:
        raise DomainError(_("只有客户支持中心可以记录回访。"), code="provider_only")
    if method not in dict(AGENT_CALLBACK_METHODS):
        raise DomainError(_("请选择回访方式。"), field="method")
    if not respondent.strip():
        raise DomainError(_("请填写受访人。"), field="respondent")
    score = _score(score)
    happy = is_satisfied(satisfied, score)
    if not happy and not note.strip():
        message = (
            _("评分 %(score)d 分视为不满意，请记录原因。") % {"score": score}
            if satisfied
            else _("客户不满意时请记录原因。")
        )
        raise DomainError(message, field="note")
    callback = tickets.record_callback(
        ticket, satisfied=happy, note=note.strip(), score=score, actor=actor
    )
    record = CallbackRecord.objects.create(
        ticket=ticket, callback=callback, method=method, respondent=respondent.strip()
    )
    if not happy:
        _tell_unsatisfied(ticket, callback)
    return record


@transaction.atomic
def answer_survey(
    ticket: Ticket, *, score, comment: str = "", satisfied: bool = True, actor
) -> CallbackRecord:
    """The customer answers the portal survey for a resolved ticket (score 1–5, comment). A
    score of 1–2 or "not satisfied" reopens the ticket with the comment as the reason."""
    if actor is None or actor.customer_id != ticket.customer_id:
        raise DomainError(_("只有本单位的客户用户可以填写满意度调查。"), code="customer_only")
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    score = _score(score)
    happy = is_satisfied(satisfied, score)
    comment = comment.strip()
    if not happy and not comment:
        raise DomainError(_("请说明不满意的原因，我们会重新处理。"), field="comment")
    if (
        ticket.resolved_at
        and TicketCallback.objects.filter(ticket=ticket, at__gte=ticket.resolved_at).exists()
    ):
        raise DomainError(_("该工单已有回访结果，无需重复填写。"), code="already_answered")
    note = _("客户门户满意度调查（%(score)d 分）") % {"score": score}
    if comment:
        note = f"{note}：{comment}"
    callback = tickets.record_callback(ticket, satisfied=happy, note=note, score=score, actor=actor)
    name = actor.get_full_name() or actor.get_username()
    record = CallbackRecord.objects.create(
        ticket=ticket, callback=callback, method=CallbackMethod.PORTAL_SURVEY, respondent=name
    )
    if not happy:
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
        subject=_("【客户不满意】%(ticket)s 已重新打开") % {"ticket": ticket.number},
        body=_("%(customer)s：%(note)s") % {"customer": ticket.customer, "note": callback.note},
        kind="callback_unsatisfied",
        dedupe_key=f"callback:{callback.pk}:unsatisfied",
        customer=ticket.customer,
        ref_type="ticket",
        ref_id=str(ticket.pk),
    )
