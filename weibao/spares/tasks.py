"""Due sources of the spares app, run by the one scheduler (`weibao tick`, see
`weibao.core.due`). Each claims its due rows in one transaction, acts, marks them done there,
and is safe to run twice or in two workers at once.

* `spares.loan_end`       a loan reaching its return date → reminder to customer and keeper
* `spares.loan_to_sale`   an exchange loan still out after its total limit → sale (SPX-3)
* `spares.ship_warning`   a prepaid order `SHIP_WARNING_DAYS` before its ship deadline
* `spares.ship_breach`    a prepaid order not shipped by its deadline → breach recorded
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from weibao.core.audit import record_event
from weibao.core.due import claim
from weibao.core.events import EventText, event_text
from weibao.notifications.services import notify
from weibao.spares import recipients
from weibao.spares.choices import LoanKind, LoanStatus, SaleStage, SparesEvent
from weibao.spares.models import Loan, SaleOrder
from weibao.spares.services.sales import convert_loan_to_sale

# Warn the keeper this many days before a sale's ship deadline (SPS-1: "warned before breach").
SHIP_WARNING_DAYS = 14


def remind_loan_ends(*, now: dt.datetime, limit: int) -> int:
    """Remind once per return date (an extension earns a new reminder)."""
    today = timezone.localdate(now)
    with transaction.atomic():
        loans = list(
            claim(
                Loan.objects.filter(status=LoanStatus.OUT, end_date__lte=today).filter(
                    Q(reminded_end_date__isnull=True) | Q(reminded_end_date__lt=F("end_date"))
                )
            )
            .select_related("customer", "part__part_type")
            .order_by("end_date", "id")[:limit]
        )
        for loan in loans:
            loan.reminded_end_date = loan.end_date
            if loan.is_free:
                text = event_text("修复件已返回，请归还免费借用的备件 %(part)s。", part=loan.part)
            else:
                text = event_text(
                    "借用备件 %(part)s 约定于 %(end)s 归还。请按时归还，或申请延期（累计不超过 "
                    "%(total)s）；逾期未还将自动转为备件销售。",
                    part=loan.part,
                    end=loan.end_date,
                    total=loan.latest_end,
                )
            notify(
                recipients=recipients.customer_users(loan.customer)
                + recipients.spare_keepers(loan.customer_id),
                subject=event_text("借用单 %(loan)s 到期提醒", loan=loan.number),
                body=text,
                kind="loan_due",
                dedupe_key=f"loan:{loan.pk}:due:{loan.end_date}",
                customer=loan.customer,
                ref_type="loan",
                ref_id=str(loan.pk),
            )
            record_event(loan, kind=SparesEvent.LOAN_REMINDED, message=text)
        Loan.objects.bulk_update(loans, ["reminded_end_date"])
    return len(loans)


def convert_loans_past_limit(*, now: dt.datetime, limit: int) -> int:
    """An exchange loan still out the day after its total limit (6 months) converts."""
    today = timezone.localdate(now)
    with transaction.atomic():
        loans = list(
            claim(
                Loan.objects.filter(
                    status=LoanStatus.OUT, kind=LoanKind.EXCHANGE, latest_end__lt=today
                )
            )
            .select_related("customer", "contract", "part__part_type")
            .order_by("latest_end", "id")[:limit]
        )
        for loan in loans:
            convert_loan_to_sale(loan, on=today)
    return len(loans)


def _ship_notice(order: SaleOrder, *, subject: EventText, body: EventText, key: str) -> None:
    notify(
        recipients=recipients.spare_keepers(order.customer_id)
        + recipients.account_managers(order.customer_id),
        subject=subject,
        body=body,
        kind="sale_ship",
        dedupe_key=f"sale:{order.pk}:{key}",
        customer=order.customer,
        ref_type="sale",
        ref_id=str(order.pk),
    )


def warn_ship_deadlines(*, now: dt.datetime, limit: int) -> int:
    today = timezone.localdate(now)
    horizon = today + dt.timedelta(days=SHIP_WARNING_DAYS)
    with transaction.atomic():
        orders = list(
            claim(
                SaleOrder.objects.filter(
                    stage=SaleStage.PREPAID, ship_warned_at__isnull=True, ship_by__lte=horizon
                )
            )
            .select_related("customer")
            .order_by("ship_by", "id")[:limit]
        )
        for order in orders:
            order.ship_warned_at = now
            text = event_text(
                "销售单 %(order)s 最迟 %(by)s 发货（预付款 %(paid)s 到账），尚未发货。",
                order=order.number,
                by=order.ship_by,
                paid=order.prepaid_on,
            )
            _ship_notice(
                order,
                subject=event_text("【发货预警】%(order)s", order=order.number),
                body=text,
                key="ship_warning",
            )
            record_event(order, kind=SparesEvent.SALE_SHIP_WARNING, message=text)
        SaleOrder.objects.bulk_update(orders, ["ship_warned_at"])
    return len(orders)


def breach_ship_deadlines(*, now: dt.datetime, limit: int) -> int:
    today = timezone.localdate(now)
    with transaction.atomic():
        orders = list(
            claim(
                SaleOrder.objects.filter(
                    stage=SaleStage.PREPAID, ship_breached_at__isnull=True, ship_by__lt=today
                )
            )
            .select_related("customer")
            .order_by("ship_by", "id")[:limit]
        )
        for order in orders:
            order.ship_breached_at = now
            text = event_text(
                "销售单 %(order)s 超过最迟发货日期 %(by)s 仍未发货。",
                order=order.number,
                by=order.ship_by,
            )
            _ship_notice(
                order,
                subject=event_text("【发货超期】%(order)s", order=order.number),
                body=text,
                key="ship_breach",
            )
            record_event(order, kind=SparesEvent.SALE_SHIP_BREACH, message=text)
        SaleOrder.objects.bulk_update(orders, ["ship_breached_at"])
    return len(orders)


SOURCES = {
    "spares.loan_end": remind_loan_ends,
    "spares.loan_to_sale": convert_loans_past_limit,
    "spares.ship_warning": warn_ship_deadlines,
    "spares.ship_breach": breach_ship_deadlines,
}
