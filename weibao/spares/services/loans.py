"""Writes of loans: an exchange loan counted against the quota (SPX-2..5, CAT-4), the free
loaner of a late or failed repair (RMA-4, RMA-5), delivery, extension, return, compensation
of a damaged part, and the automatic conversion into a sale at the total limit.

What the customer pays for a loan — a damaged part's compensation (SPX-4) or an exchange over
the contract's quota (CAT-4) — goes through billing's one statement and customer approval
(EXC-1..3), opened here in the same transaction; a loan converted into a sale is a purchase
(`spares.services.sales`), not billed here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.capabilities import Capability
from weibao.billing.services import open_billable_statement
from weibao.contracts.selectors import resolve_contract
from weibao.contracts.services import QuotaExceeded, consume_entitlement
from weibao.core import audit, bounds, clock
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import event_text, followed_by
from weibao.spares.choices import LoanKind, LoanStatus, MovementKind, PartState, SparesEvent, Tier
from weibao.spares.flow import LOAN_FLOW
from weibao.spares.models import Loan, LoanExtension, PartType, SparePool
from weibao.spares.services.access import require
from weibao.spares.services.inventory import (
    OutOfStock,
    lock_part_type,
    pass_to_customer,
    provider_pools,
    record_move,
    take_available,
)
from weibao.spares.terms import add_months, contract_terms

SPARE_EXCHANGE = "spare_exchange"
# Billing's cause list (EXC-1): what a loan is billed for.
CAUSE_DAMAGED = "loan_damaged"
CAUSE_OVER_QUOTA = "over_quota_exchange"


def _numbered(loan: Loan) -> Loan:
    audit.set_after_create(loan, number=f"LN{loan.start_date:%y%m%d}-{loan.pk:05d}")
    return loan


def _lend(*, customer, part_type, pools, **values) -> Loan:
    """Take a good provider part out of stock for a new loan (the part type stays locked)."""
    lock_part_type(part_type.pk)
    part = take_available(pools, part_type)
    if part is None:
        raise OutOfStock(
            _("服务商备件库没有可借出的 %(type)s。") % {"type": part_type}, field="part_type"
        )
    loan = Loan.objects.create(customer=customer, part=part, from_location=part.location, **values)
    _numbered(loan)
    record_move(
        part,
        kind=MovementKind.LOAN_OUT,
        ref_type="loan",
        ref_id=loan.pk,
        note=loan.number,
        actor=values.get("created_by"),
    )
    return loan


@transaction.atomic
def lend_exchange(
    *,
    customer,
    part_type: PartType,
    faulty_serial_number: str,
    faulty_received_on: dt.date,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    site=None,
    faulty_asset=None,
    deliver_to: str = "",
    deliver_by: dt.datetime | None = None,
    billable_ok: bool = False,
    skip_own_pool: bool = False,
    actor=None,
) -> Loan:
    """Lend a provider's good part against the customer's faulty one (SPX-2).

    The customer's own pool comes first (SPX-1): with a good part of the type there, the loan
    is refused unless `skip_own_pool`. The loan counts against the contract year's spare
    exchange quota (Gold: 10); over it, it is refused (`quota_exceeded`) unless `billable_ok`
    accepts it as a billable exchange. The spare keeper's (`spares.operate`).
    """
    require(actor, Capability.SPARES_OPERATE, customer_id=customer.pk)
    start_date = start_date or clock.today()
    if not faulty_serial_number.strip():
        raise DomainError(_("请填写客户故障件的序列号。"), field="faulty_serial_number")
    if faulty_received_on > start_date:
        raise DomainError(
            _("收到客户故障件后才能借出好件。"),
            code="faulty_part_first",
            field="faulty_received_on",
        )
    bounds.check_date(faulty_received_on, "faulty_received_on", not_after_today=True)
    bounds.check_date(start_date, "start_date")
    bounds.check_date(end_date, "end_date")
    if site is not None and site.customer_id != customer.pk:
        raise DomainError(_("机房不属于该客户。"), field="site")
    contract, _covered = resolve_contract(customer, site, start_date)
    if contract is None:
        raise DomainError(
            _("客户在 %(day)s 没有有效的维保合同，不能按合同借用备件；请走备件销售。")
            % {"day": start_date},
            code="no_contract",
        )
    terms = contract_terms(contract)
    period_limit = add_months(start_date, terms["loan_max_months"])
    end_date = end_date or period_limit
    if end_date > period_limit or end_date < start_date:
        raise DomainError(
            _("借用期最长 %(months)d 个月（最迟 %(limit)s 归还）。")
            % {"months": terms["loan_max_months"], "limit": period_limit},
            code="loan_too_long",
            field="end_date",
        )
    lock_part_type(part_type.pk)
    if not skip_own_pool:
        own = SparePool.objects.filter(customer=customer, tier=Tier.CUSTOMER)
        if take_available(own, part_type) is not None:
            raise DomainError(
                _("客户自有备件库（一级）有可用的 %(type)s，应先使用客户自有备件。")
                % {"type": part_type},
                code="own_spare_available",
                field="part_type",
            )
    billable = False
    try:
        consume_entitlement(contract, SPARE_EXCHANGE, on=start_date, actor=actor)
    except QuotaExceeded:
        if not billable_ok:
            raise
        consume_entitlement(contract, SPARE_EXCHANGE, on=start_date, billable_ok=True, actor=actor)
        billable = True
    loan = _lend(
        customer=customer,
        part_type=part_type,
        pools=provider_pools(customer.provider),
        contract=contract,
        site=site,
        kind=LoanKind.EXCHANGE,
        faulty_serial_number=faulty_serial_number.strip(),
        faulty_asset=faulty_asset,
        faulty_received_on=faulty_received_on,
        start_date=start_date,
        end_date=end_date,
        max_months=terms["loan_max_months"],
        total_max_months=terms["loan_total_max_months"],
        latest_end=add_months(start_date, terms["loan_total_max_months"]),
        billable=billable,
        deliver_to=deliver_to or (site.address if site else customer.address),
        deliver_by=deliver_by,
        reason=_("备件更换：故障件 %(serial)s") % {"serial": faulty_serial_number.strip()},
        created_by=actor,
    )
    message = event_text("借出 %(part)s，约定 %(end)s 前归还", part=loan.part, end=end_date)
    if billable:
        message = followed_by(message, event_text("超出本合同年度配额，按收费服务处理"))
    record_event(loan, kind=SparesEvent.LOAN_LENT, message=message, actor=actor)
    if billable:
        _bill(
            loan,
            cause=CAUSE_OVER_QUOTA,
            evidence=_("%(year)s 合同年度备件更换配额已用完，经确认按收费服务借出 %(part)s。")
            % {"year": start_date.year, "part": loan.part},
            description=_("超出合同配额的备件更换：%(type)s（故障件 %(serial)s）")
            % {"type": part_type.name, "serial": loan.faulty_serial_number},
            price=part_type.catalog_price,
            actor=actor,
        )
    return loan


def _bill(loan: Loan, *, cause: str, evidence: str, description: str, price, actor):
    """A draft statement for the loan with one part line (EXC-2); it then goes the usual
    way: the maintenance manager sends it, the customer's leader approves or rejects."""
    return open_billable_statement(
        source_type="spares.loan",
        source_id=loan.pk,
        customer=loan.customer,
        causes=[cause],
        evidence=evidence,
        lines=[
            {
                "kind": "part",
                "description": description[:200],
                "quantity": 1,
                "unit_price": price,
                "part_number": loan.part.part_type.part_number,
            }
        ],
        contract=loan.contract,
        site=loan.site,
        asset=loan.faulty_asset,
        actor=actor,
    )


@transaction.atomic
def lend_free_loaner(
    *, customer, part_type: PartType | None, kind: str, site=None, reason: str, actor=None
) -> Loan | None:
    """A free loaner from the provider's pool until a repaired part is back (RMA-4, RMA-5);
    None when no good part of the type is in stock (the caller tells the spare keeper).
    A consequence of a repair's move (already checked there), so not checked again."""
    if part_type is None:
        return None
    try:
        with transaction.atomic():
            loan = _lend(
                customer=customer,
                part_type=part_type,
                pools=provider_pools(customer.provider),
                site=site,
                kind=kind,
                start_date=clock.today(),
                deliver_to=site.address if site else customer.address,
                reason=reason[:300],
                created_by=actor,
            )
    except OutOfStock:
        return None
    record_event(
        loan,
        kind=SparesEvent.LOAN_LENT,
        message=event_text("免费借出 %(part)s：%(reason)s", part=loan.part, reason=reason),
        actor=actor,
    )
    return loan


def _locked(loan: Loan) -> Loan:
    return Loan.objects.select_for_update().select_related("part", "customer").get(pk=loan.pk)


@transaction.atomic
def record_delivery(loan: Loan, *, at: dt.datetime | None = None, actor=None) -> Loan:
    """The good part reached the agreed place (SPX-2)."""
    loan = _locked(loan)
    LOAN_FLOW.check(loan, "deliver", actor)
    loan.delivered_at = at or clock.now()
    loan.save(update_fields=["delivered_at", "updated_at"])
    late = loan.deliver_by is not None and loan.delivered_at > loan.deliver_by
    record_event(
        loan,
        kind=SparesEvent.LOAN_DELIVERED,
        actor=actor,
        message=event_text(
            "已送达 %(place)s%(late)s",
            place=loan.deliver_to,
            late=event_text("（晚于约定时间）") if late else "",
        ),
    )
    return loan


@transaction.atomic
def extend_loan(loan: Loan, *, new_end: dt.date, reason: str = "", actor=None) -> Loan:
    """Extend an exchange loan; in total it may last `total_max_months` (6), after which it
    converts into a sale (SPX-3) — an extension beyond that is refused. Within the agreed
    period (3 months) the spare keeper extends (`spares.operate`); beyond it, the maintenance
    manager (`spares.long_extension`)."""
    loan = _locked(loan)
    LOAN_FLOW.check(loan, "extend", actor)
    if new_end > loan.period_limit:
        require(actor, Capability.SPARES_LONG_EXTENSION, customer_id=loan.customer_id)
    if new_end <= loan.end_date:
        raise DomainError(_("新的归还日期必须晚于原日期。"), field="new_end")
    if new_end > loan.latest_end:
        raise DomainError(
            _(
                "借用累计不得超过 %(months)d 个月（最迟 %(limit)s）；仍需使用请购买备件，"
                "逾期未还将自动转为备件销售。"
            )
            % {"months": loan.total_max_months, "limit": loan.latest_end},
            code="loan_total_exceeded",
            field="new_end",
        )
    LoanExtension.objects.create(
        loan=loan,
        previous_end=loan.end_date,
        new_end=new_end,
        at=clock.now(),
        actor=actor,
        reason=reason[:300],
    )
    record_event(
        loan,
        kind=SparesEvent.LOAN_EXTENDED,
        actor=actor,
        message=event_text(
            "延期：%(old)s → %(new)s %(why)s", old=loan.end_date, new=new_end, why=reason
        ),
    )
    loan.end_date = new_end
    loan.save(update_fields=["end_date", "updated_at"])
    return loan


@transaction.atomic
def return_loan(
    loan: Loan, *, returned_on: dt.date | None = None, location=None, actor=None
) -> Loan:
    """The customer returned the loaned part in good order; it goes back into stock."""
    loan = _locked(loan)
    LOAN_FLOW.check(loan, "return", actor)
    bounds.check_date(returned_on, "returned_on", not_after_today=True)
    loan.returned_on = returned_on or clock.today()
    loan.status = LoanStatus.RETURNED
    loan.save(update_fields=["returned_on", "status", "updated_at"])
    record_move(
        loan.part,
        kind=MovementKind.LOAN_RETURN,
        to_location=location or loan.from_location,
        ref_type="loan",
        ref_id=loan.pk,
        note=loan.number,
        actor=actor,
    )
    record_event(
        loan,
        kind=SparesEvent.LOAN_RETURNED,
        actor=actor,
        message=event_text("已归还 %(part)s", part=loan.part),
    )
    return loan


@transaction.atomic
def compensate_loan(
    loan: Loan,
    *,
    price: Decimal | None = None,
    note: str = "",
    on: dt.date | None = None,
    actor=None,
) -> Loan:
    """A damaged loaned part is paid for at catalog price (or an agreed `price`) and becomes
    the customer's (SPX-4). The amount is billed (cause `loan_damaged`): a draft statement
    with one part line, which the customer's leader approves once it is sent (EXC-2); its
    sending is the customer's notice. Preparing it needs `billing.propose` too, so a person
    compensates; a zero price hands the part over without a statement."""
    loan = _locked(loan)
    LOAN_FLOW.check(loan, "compensate", actor)
    bounds.check_date(on, "on", not_after_today=True)
    part_type = loan.part.part_type
    amount = part_type.catalog_price if price is None else Decimal(price)
    if amount < 0:
        raise DomainError(_("赔偿金额不能为负。"), field="price")
    loan.status = LoanStatus.COMPENSATED
    loan.compensated_on = on or clock.today()
    loan.compensation_amount = amount
    loan.save(update_fields=["status", "compensated_on", "compensation_amount", "updated_at"])
    part = pass_to_customer(loan.part, loan.customer, state=PartState.INSTALLED)
    basis = gettext_noop("目录价") if price is None else gettext_noop("议定价")
    note = note.strip()
    record_event(
        loan,
        kind=SparesEvent.LOAN_COMPENSATED,
        actor=actor,
        message=event_text(
            "借用备件损坏，按%(basis)s赔偿 %(amount)s 元，产权转移给客户。%(note)s",
            basis=event_text(basis),
            amount=amount,
            note=note,
        ),
    )
    if amount > 0:
        _bill(
            loan,
            cause=CAUSE_DAMAGED,
            evidence=note or _("借用备件 %(part)s 损坏。") % {"part": part},
            description=_("借用备件 %(part)s 损坏赔偿（%(basis)s，赔偿后归贵单位所有）")
            % {"part": part, "basis": _(basis)},
            price=amount,
            actor=actor,
        )
    return loan


@transaction.atomic
def end_free_loan(loan: Loan, *, on: dt.date, actor=None) -> Loan:
    """The repaired part is back: the free loaner is due back on `on` (its reminder fires).
    A consequence of a repair's move (already checked there), so not checked again."""
    loan = _locked(loan)
    if loan.status == LoanStatus.OUT and loan.end_date is None:
        loan.end_date = on
        loan.save(update_fields=["end_date", "updated_at"])
        record_event(
            loan,
            kind=SparesEvent.LOAN_DUE,
            actor=actor,
            message=event_text("修复件已返回，免费借用备件应于 %(day)s 归还", day=on),
        )
    return loan
