"""Writes of spare-part sales (SPS-1, SPS-2): request, quote revisions, agreement, contract,
prepayment with its ship deadline, shipping, signed delivery with a warranty per serial —
and the automatic sale of an exchange loan kept past its total limit (SPX-3)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.contracts.selectors import resolve_contract
from weibao.core import audit, bounds, clock
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import EventText, event_text, followed_by
from weibao.notifications.services import notify
from weibao.spares import recipients
from weibao.spares.choices import (
    LoanStatus,
    MovementKind,
    PartState,
    QuoteDecision,
    SaleOrigin,
    SaleStage,
    SparesEvent,
    Tier,
)
from weibao.spares.flow import LOAN_FLOW, SALE_FLOW
from weibao.spares.models import (
    Loan,
    PartType,
    SaleItem,
    SaleOrder,
    SaleQuote,
    SaleQuoteLine,
    SparePart,
)
from weibao.spares.services.access import require
from weibao.spares.services.inventory import (
    default_location,
    own_pool,
    pass_to_customer,
    record_move,
    take_in,
)
from weibao.spares.terms import add_months, contract_terms, warranty_last_day

# A quote line's quantity: what the column holds is far beyond any real order.
MAX_QUOTE_QUANTITY = 100_000
MAX_QUOTE_UNIT_PRICE = bounds.money_max(bounds.PRICE_DIGITS)


def _locked(order: SaleOrder) -> SaleOrder:
    return SaleOrder.objects.select_for_update().get(pk=order.pk)


def _moved(order: SaleOrder, verb: str, *, actor, message: EventText, fields=()) -> SaleOrder:
    move = SALE_FLOW[verb]
    order.stage = move.target
    order.save(update_fields=["stage", "updated_at", *fields])
    record_event(order, kind=f"sale.{verb}", actor=actor, message=message)
    return order


@transaction.atomic
def request_sale(
    *, customer, request_text: str, requested_on: dt.date | None = None, actor=None
) -> SaleOrder:
    """The customer asks to buy spares (客户提出备件采购需求), recorded by the account
    manager or the spare keeper (`sale.quote`)."""
    require(actor, Capability.SALE_QUOTE, customer_id=customer.pk)
    if not request_text.strip():
        raise DomainError(_("请填写采购需求。"), field="request_text")
    requested_on = bounds.check_date(requested_on or clock.today(), "requested_on")
    contract, _covered = resolve_contract(customer, None, requested_on)
    order = SaleOrder.objects.create(
        customer=customer,
        contract=contract,
        requested_on=requested_on,
        request_text=request_text.strip(),
        created_by=actor,
    )
    audit.set_after_create(order, number=f"SO{requested_on:%y%m%d}-{order.pk:05d}")
    record_event(order, kind=SparesEvent.SALE_REQUESTED, actor=actor, message=request_text[:200])
    return order


def _write_quote(order, *, proposal, lines, actor, decision=QuoteDecision.PENDING) -> SaleQuote:
    if not lines:
        raise DomainError(_("报价至少需要一行。"), field="lines")
    total = Decimal("0.00")
    for index, (part_type, quantity, price) in enumerate(lines):
        if quantity < 1 or Decimal(price) < 0:
            raise DomainError(_("数量须大于 0，单价不能为负。"), field="lines")
        if not isinstance(part_type, PartType):
            raise DomainError(_("请选择备件型号。"), field="lines")
        if quantity > MAX_QUOTE_QUANTITY:
            raise DomainError(_("数量不能超过 %(max)s。") % {"max": f"{MAX_QUOTE_QUANTITY:,}"},
                              field=f"lines.{index}.quantity")  # fmt: skip
        field = f"lines.{index}.unit_price"
        bounds.check_money(price, field, bounds.PRICE_DIGITS)
        too_large = _("金额（数量 × 单价）不能超过 %(max)s 元。")
        amount = bounds.check_money(
            Decimal(price) * quantity, field, bounds.AMOUNT_DIGITS, message=too_large
        )
        too_large = _("报价合计不能超过 %(max)s 元。")
        total = bounds.check_money(total + amount, field, bounds.AMOUNT_DIGITS, message=too_large)
    revision = (
        order.quotes.order_by("-revision").values_list("revision", flat=True).first() or 0
    ) + 1
    order.quotes.filter(decision=QuoteDecision.PENDING).update(
        decision=QuoteDecision.REJECTED,
        decided_at=clock.now(),
        decision_note=_("已被第 %(n)d 版取代") % {"n": revision},
    )
    quote = SaleQuote.objects.create(
        order=order,
        revision=revision,
        proposal=proposal.strip(),
        created_by=actor,
        decision=decision,
        decided_at=clock.now() if decision != QuoteDecision.PENDING else None,
    )
    SaleQuoteLine.objects.bulk_create(
        SaleQuoteLine(quote=quote, part_type=t, quantity=q, unit_price=Decimal(p))
        for t, q, p in lines
    )
    return quote


@transaction.atomic
def propose_quote(order: SaleOrder, *, proposal: str, lines, actor=None) -> SaleQuote:
    """A configuration proposal and quote (备件配置方案及报价); each call adds a revision and
    keeps the earlier ones. `lines` are (part type, quantity, unit price)."""
    order = _locked(order)
    SALE_FLOW.check(order, "quote", actor)
    if not proposal.strip():
        raise DomainError(_("请填写配置方案。"), field="proposal")
    quote = _write_quote(order, proposal=proposal, lines=lines, actor=actor)
    _moved(
        order,
        "quote",
        actor=actor,
        message=event_text(
            "提交第 %(n)d 版方案与报价，合计 %(total)s 元", n=quote.revision, total=quote.total
        ),
    )
    return quote


@transaction.atomic
def agree_quote(order: SaleOrder, *, note: str = "", actor=None) -> SaleOrder:
    """The customer agrees to the latest quote revision (客户同意)."""
    order = _locked(order)
    SALE_FLOW.check(order, "agree", actor)
    quote = order.quotes.filter(decision=QuoteDecision.PENDING).order_by("-revision").first()
    quote.decision, quote.decided_at, quote.decision_note = QuoteDecision.AGREED, clock.now(), note
    quote.save()
    order.accepted_quote = quote
    return _moved(
        order,
        "agree",
        actor=actor,
        fields=["accepted_quote"],
        message=event_text("客户同意第 %(n)d 版方案与报价", n=quote.revision),
    )


@transaction.atomic
def reject_quote(order: SaleOrder, *, note: str, actor=None) -> SaleOrder:
    """The customer does not agree: back to the proposal (SPS-1), with the reason kept."""
    order = _locked(order)
    SALE_FLOW.check(order, "reject", actor)
    if not note.strip():
        raise DomainError(_("请填写客户意见。"), field="note")
    quote = order.quotes.filter(decision=QuoteDecision.PENDING).order_by("-revision").first()
    quote.decision, quote.decided_at = QuoteDecision.REJECTED, clock.now()
    quote.decision_note = note.strip()[:300]
    quote.save()
    return _moved(
        order,
        "reject",
        actor=actor,
        message=event_text("客户不同意第 %(n)d 版：%(note)s", n=quote.revision, note=note),
    )


@transaction.atomic
def sign_sale_contract(
    order: SaleOrder, *, contract_number: str, signed_on: dt.date, actor=None
) -> SaleOrder:
    """The spare-part sales contract is signed (签定备板备件销售合同)."""
    order = _locked(order)
    SALE_FLOW.check(order, "sign", actor)
    bounds.check_date(signed_on, "signed_on", not_after_today=True)
    if not contract_number.strip():
        raise DomainError(_("请填写销售合同编号。"), field="contract_number")
    order.contract_number, order.contract_signed_on = contract_number.strip(), signed_on
    return _moved(
        order,
        "sign",
        actor=actor,
        fields=["contract_number", "contract_signed_on"],
        message=event_text("签订销售合同 %(n)s", n=order.contract_number),
    )


@transaction.atomic
def record_prepayment(
    order: SaleOrder, *, prepaid_on: dt.date, amount: Decimal, actor=None
) -> SaleOrder:
    """The prepayment arrived: the ship clock starts — shipped within `sale_ship_months` (3)."""
    order = _locked(order)
    SALE_FLOW.check(order, "prepay", actor)
    bounds.check_date(prepaid_on, "prepaid_on", not_after_today=True)
    if Decimal(amount) <= 0:
        raise DomainError(_("预付款必须大于 0。"), field="amount")
    terms = contract_terms(order.contract)
    order.prepaid_on, order.prepayment_amount = prepaid_on, Decimal(amount)
    order.ship_months, order.warranty_months = terms["sale_ship_months"], terms["warranty_months"]
    order.ship_by = add_months(prepaid_on, order.ship_months)
    return _moved(
        order,
        "prepay",
        actor=actor,
        fields=["prepaid_on", "prepayment_amount", "ship_months", "warranty_months", "ship_by"],
        message=event_text(
            "预付款 %(amount)s 元到账，最迟 %(by)s 发货", amount=amount, by=order.ship_by
        ),
    )


@transaction.atomic
def ship_sale(
    order: SaleOrder,
    *,
    shipped_on: dt.date,
    serials: list[tuple[PartType, str]],
    carrier: str = "",
    tracking_number: str = "",
    actor=None,
) -> SaleOrder:
    """Ship the agreed parts, one serial per unit: from the provider's stock (a sale movement)
    or newly produced. Shipping after the deadline records the breach."""
    order = _locked(order)
    SALE_FLOW.check(order, "ship", actor)
    bounds.check_date(shipped_on, "shipped_on", not_after_today=True)
    wanted = Counter()
    for line in order.accepted_quote.lines.all():
        wanted[line.part_type_id] += line.quantity
    given = Counter(t.pk for t, _s in serials)
    if given != wanted or len({(t.pk, s.strip()) for t, s in serials}) != len(serials):
        raise DomainError(_("发货序列号须与确认的报价一致：每台一个、不重复。"), field="serials")
    for part_type, serial in serials:
        part = SparePart.objects.filter(part_type=part_type, serial_number=serial.strip()).first()
        if part is not None:
            if part.pool.tier != Tier.PROVIDER or part.state != PartState.IN_STOCK:
                raise DomainError(
                    _("序列号 %(serial)s 的备件不在服务商库存中。") % {"serial": serial},
                    field="serials",
                )
            record_move(
                part,
                kind=MovementKind.SALE_OUT,
                ref_type="sale",
                ref_id=order.pk,
                note=order.number,
                actor=actor,
            )
        SaleItem.objects.create(
            order=order, part_type=part_type, serial_number=serial.strip(), part=part
        )
    order.shipped_on, order.carrier, order.tracking_number = shipped_on, carrier, tracking_number
    fields = ["shipped_on", "carrier", "tracking_number"]
    late = shipped_on > order.ship_by
    if late and order.ship_breached_at is None:
        order.ship_breached_at = clock.now()
        fields.append("ship_breached_at")
    message = event_text(
        "%(day)s 发货 %(n)d 件，运单 %(track)s",
        day=shipped_on,
        n=len(serials),
        track=tracking_number or "—",
    )
    if late:
        message = followed_by(message, event_text("晚于最迟发货日期 %(by)s", by=order.ship_by))
    return _moved(order, "ship", actor=actor, fields=fields, message=message)


@transaction.atomic
def deliver_sale(
    order: SaleOrder, *, delivered_on: dt.date, signed_by: str, note: str = "", actor=None
) -> SaleOrder:
    """The customer inspected and signed (验货、签收): the parts join the customer's own pool
    and each serial is in warranty through delivery + `warranty_months` − 1 day (SPS-2)."""
    order = _locked(order)
    SALE_FLOW.check(order, "deliver", actor)
    bounds.check_date(delivered_on, "delivered_on", not_after_today=True)
    if not signed_by.strip():
        raise DomainError(_("请填写验收签收人。"), field="signed_by")
    if delivered_on < order.shipped_on:
        raise DomainError(_("到货日期不能早于发货日期。"), field="delivered_on")
    location = default_location(own_pool(order.customer))
    until = warranty_last_day(delivered_on, order.warranty_months)
    for item in order.items.select_related("part", "part_type"):
        if item.part is not None:
            part = pass_to_customer(item.part, order.customer)
            record_move(
                part,
                kind=MovementKind.RECEIVE,
                to_location=location,
                ref_type="sale",
                ref_id=order.pk,
                note=order.number,
                actor=actor,
            )
        else:
            item.part = take_in(
                part_type=item.part_type,
                serial_number=item.serial_number,
                location=location,
                note=order.number,
                actor=actor,
            )
        item.warranty_until = until
        item.save(update_fields=["part", "warranty_until"])
    order.delivered_on, order.signed_by, order.inspection_note = delivered_on, signed_by, note
    return _moved(
        order,
        "deliver",
        actor=actor,
        fields=["delivered_on", "signed_by", "inspection_note"],
        message=event_text("%(who)s 验货签收，保修至 %(until)s", who=signed_by, until=until),
    )


@transaction.atomic
def cancel_sale(order: SaleOrder, *, reason: str, actor=None) -> SaleOrder:
    """Cancel an order before shipping, with the reason kept."""
    order = _locked(order)
    SALE_FLOW.check(order, "cancel", actor)
    if not reason.strip():
        raise DomainError(_("请填写取消原因。"), field="reason")
    order.cancelled_reason = reason.strip()[:300]
    return _moved(
        order,
        "cancel",
        actor=actor,
        fields=["cancelled_reason"],
        message=event_text("取消：%(reason)s", reason=reason),
    )


def convert_loan_to_sale(loan: Loan, *, on: dt.date, actor=None) -> SaleOrder:
    """An exchange loan still out after its total limit becomes a sale at catalog price
    (SPX-3): an order already delivered (the customer has the part), ownership passes, the
    warranty runs from the conversion day. Call inside the caller's transaction, loan locked;
    only the runner converts (`LOAN_FLOW`'s "convert" refuses a person)."""
    LOAN_FLOW.check(loan, "convert", actor)
    part_type = loan.part.part_type
    terms = contract_terms(loan.contract)
    order = SaleOrder.objects.create(
        customer=loan.customer,
        contract=loan.contract,
        origin=SaleOrigin.LOAN_CONVERSION,
        stage=SaleStage.DELIVERED,
        requested_on=on,
        delivered_on=on,
        request_text=_("借用单 %(loan)s 累计借用超过 %(months)d 个月，按合同自动转为备件销售。")
        % {"loan": loan.number, "months": loan.total_max_months},
        warranty_months=terms["warranty_months"],
        ship_months=terms["sale_ship_months"],
        signed_by=_("（借用转销售，无需验收）"),
        created_by=actor,
    )
    order.number = f"SO{on:%y%m%d}-{order.pk:05d}"
    quote = _write_quote(
        order,
        proposal=_("借用备件转销售，按目录价"),
        actor=actor,
        lines=[(part_type, 1, part_type.catalog_price)],
        decision=QuoteDecision.AGREED,
    )
    order.accepted_quote = quote
    order.save(update_fields=["number", "accepted_quote"])
    part = pass_to_customer(loan.part, loan.customer, state=PartState.INSTALLED)
    SaleItem.objects.create(
        order=order,
        part_type=part_type,
        serial_number=part.serial_number,
        part=part,
        warranty_until=warranty_last_day(on, order.warranty_months),
    )
    loan.status, loan.converted_on, loan.sale = LoanStatus.CONVERTED, on, order
    loan.save(update_fields=["status", "converted_on", "sale", "updated_at"])
    message = event_text(
        "借用单 %(loan)s 已超过 %(limit)s，自动转为销售单 %(order)s，按目录价 %(price)s 元。",
        loan=loan.number,
        limit=loan.latest_end,
        order=order.number,
        price=part_type.catalog_price,
    )
    record_event(loan, kind=SparesEvent.LOAN_CONVERTED, actor=actor, message=message)
    record_event(order, kind=SparesEvent.SALE_CONVERTED, actor=actor, message=message)
    people = recipients.customer_users(loan.customer) + recipients.spare_keepers(loan.customer_id)
    notify(
        recipients=people + recipients.account_managers(loan.customer_id),
        subject=event_text("借用备件 %(part)s 已转为备件销售", part=part),
        body=message,
        kind="loan_converted",
        dedupe_key=f"loan:{loan.pk}:converted",
        customer=loan.customer,
        ref_type="sale",
        ref_id=str(order.pk),
    )
    return order
