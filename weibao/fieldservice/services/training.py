"""Training sessions after maintenance or an inspection (TRN-1): each at most the contract's
`training_max_minutes` (2 hours by default), costs split, and a training record to sign."""

from __future__ import annotations

import math
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.contracts.policy import DEFAULT_TERMS
from weibao.contracts.selectors import resolve_contract
from weibao.core import bounds, clock, permissions
from weibao.core.errors import DomainError
from weibao.documents import services as documents
from weibao.fieldservice import kinds
from weibao.fieldservice.choices import TrainingMethod
from weibao.fieldservice.models import TrainingSession


def max_training_minutes(customer, site, *, origin=None) -> int:
    """The limit of one session: the ticket's frozen policy when the session follows a visit,
    else the contract covering the site, else the default (120)."""
    ticket = getattr(origin, "ticket", None)
    if ticket is not None and ticket.policy:
        return int(ticket.frozen_policy.terms.get("training_max_minutes", 120))
    contract, _covered = resolve_contract(customer, site, clock.today())
    if contract is not None and hasattr(contract, "policy"):
        return int(contract.policy.snapshot().terms.get("training_max_minutes", 120))
    return DEFAULT_TERMS["training_max_minutes"]


def duration_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("%(h)d 小时 %(m)d 分钟") % {"h": hours, "m": rest}
    if hours:
        return _("%(h)d 小时") % {"h": hours}
    return _("%(m)d 分钟") % {"m": rest}


@transaction.atomic
def record_training(
    *,
    customer,
    topic: str,
    trainees: str,
    method: str,
    starts_at,
    ends_at,
    actor,
    site=None,
    origin=None,
    provider_cost: Decimal = Decimal("0"),
    customer_cost: Decimal = Decimal("0"),
    notes: str = "",
) -> TrainingSession:
    """Record a session and draft its training record for the customer to sign. A session
    longer than the policy allows is refused with its duration named. Needs `visit.work`."""
    permissions.require(actor, Capability.VISIT_WORK, customer_id=customer.pk)
    if not topic.strip():
        raise DomainError(_("请填写培训主题。"), field="topic")
    names = [line.strip() for line in (trainees or "").splitlines() if line.strip()]
    if not names:
        raise DomainError(_("请填写受训人员。"), field="trainees")
    if method not in TrainingMethod.values:
        raise DomainError(_("无效的培训方式。"), field="method")
    bounds.check_date(starts_at, "starts_at")
    bounds.check_date(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise DomainError(_("结束时间必须晚于开始时间。"), code="training_times", field="ends_at")
    if provider_cost < 0 or customer_cost < 0:
        raise DomainError(_("费用不能为负数。"), field="customer_cost")
    minutes = math.ceil((ends_at - starts_at).total_seconds() / 60)
    limit = max_training_minutes(customer, site, origin=origin)
    if minutes > limit:
        raise DomainError(
            _("培训时长 %(duration)s，超过每次最多 %(limit)s 的规定；请分成多次培训。")
            % {"duration": duration_text(minutes), "limit": duration_text(limit)},
            code="training_too_long",
            field="ends_at",
        )  # fmt: skip
    if site is not None and site.customer_id != customer.pk:
        raise DomainError(_("机房不属于该客户。"), code="wrong_customer", field="site")
    session = TrainingSession(
        customer=customer,
        site=site,
        topic=topic.strip(),
        trainees="\n".join(names),
        method=method,
        starts_at=starts_at,
        ends_at=ends_at,
        trainer=actor,
        provider_cost=provider_cost,
        customer_cost=customer_cost,
        notes=notes.strip(),
    )
    if origin is not None:
        session.origin_type = ContentType.objects.get_for_model(origin)
        session.origin_id = str(origin.pk)
    session.save()
    session.record = documents.create_document(
        kind=kinds.TRAINING_RECORD,
        title=_("培训记录：%(topic)s") % {"topic": session.topic},
        customer=customer,
        site=site,
        ticket=getattr(origin, "ticket", None),
        data=_record_data(session),
        actor=actor,
        subject=session,
    )
    session.save(update_fields=["record"])
    return session


def _record_data(session: TrainingSession) -> dict:
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return {
        "topic": session.topic,
        "method": str(TrainingMethod(session.method).label),
        "trainees": "\n".join(session.trainee_list),
        "time": f"{start:%Y-%m-%d %H:%M} – {end:%H:%M}",
        "duration": duration_text(session.duration_minutes),
        "trainer": str(session.trainer or ""),
        "provider_cost": f"{session.provider_cost:.2f}",
        "customer_cost": f"{session.customer_cost:.2f}",
        "notes": session.notes,
    }
