"""Reads for the hardware screens: the spare keeper's board, the customer's view of their
repairs and loans, a repair page, and the asset page's repair history and warranty."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from weibao.billing import selectors as billing
from weibao.calendars import provisional
from weibao.core import clock
from weibao.core.selectors import history_for
from weibao.repairs.models import Repair
from weibao.spares.choices import SaleStage
from weibao.spares.models import Loan, SaleOrder
from weibao.spares.selectors import loan_marks, open_loans, stock_per_pool, warranty_for


@dataclass(frozen=True)
class RepairRow:
    """A repair with the working days left until its due date (negative: late; counted
    provisionally across unimported years, like the date). None when the part is back."""

    repair: Repair
    days_left: int | None

    @property
    def late(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def late_by(self) -> int:
        return -self.days_left if self.late else 0


def working_days_left(repair: Repair, today: dt.date) -> int | None:
    if not repair.is_open:
        return None
    return provisional.working_days_between(today, repair.due_date)[0]


def rows(repairs, today: dt.date | None = None) -> list[RepairRow]:
    today = today or clock.today()
    return [RepairRow(r, working_days_left(r, today)) for r in repairs]


def repair_list(user, *, status: str = "", q: str = ""):
    repairs = (
        Repair.objects.visible_to(user)
        .with_billable()
        .select_related("customer", "site", "asset", "part_type", "loaner")
    )
    if status == "open":
        repairs = repairs.open()
    elif status:
        repairs = repairs.filter(status=status)
    if q:
        repairs = repairs.filter(serial_number__icontains=q) | repairs.filter(number__icontains=q)
    return repairs.order_by("-received_on", "-id")


def keeper_board(user) -> dict:
    """The spare keeper's board: parts in repair by due date with working days left, open
    loans with their 3/6-month marks, stock per pool, and sales waiting to ship."""
    today = clock.today()
    in_repair = (
        Repair.objects.visible_to(user)
        .open()
        .with_billable()
        .select_related("customer", "site", "part_type", "loaner__part")
        .order_by("due_date", "id")
    )
    trials = (
        Repair.objects.visible_to(user)
        .filter(status="in_trial")
        .with_billable()
        .select_related("customer")
        .order_by("trial_ends_on")
    )
    to_ship = (
        SaleOrder.objects.visible_to(user)
        .filter(stage=SaleStage.PREPAID)
        .select_related("customer")
        .order_by("ship_by")
    )
    return {
        "today": today,
        "repairs": rows(in_repair, today),
        "trials": list(trials),
        "loans": open_loans(user),
        "pools": stock_per_pool(user),
        "to_ship": list(to_ship),
    }


def customer_overview(user) -> dict:
    """What a customer's user sees: their repairs, loans and spare purchases."""
    today = clock.today()
    repairs = Repair.objects.visible_to(user).with_billable().select_related("site", "asset")
    loans = Loan.objects.visible_to(user).select_related("part__part_type", "site")
    return {
        "today": today,
        "repairs": rows(repairs.order_by("-received_on", "-id")[:200], today),
        "loans": [loan_marks(loan, today) for loan in loans.order_by("-start_date")[:200]],
        "sales": list(SaleOrder.objects.visible_to(user).order_by("-requested_on")[:100]),
    }


def repair_page(repair: Repair, user) -> dict:
    """A repair page: its route, and — out of scope — billing's finding and the statements
    `user` may see (their lines and total; the lines are edited on the statement's page)."""
    today = clock.today()
    exclusion = repair.exclusions.select_related("marked_by").first()
    statements = billing.statements_about(repair, user).order_by("created_at", "id")
    return {
        "row": RepairRow(repair, working_days_left(repair, today)),
        "hops": list(repair.hops.all()),
        "exclusion": exclusion,
        "causes": list(exclusion.causes.all()) if exclusion else [],
        "statements": list(statements),
        "re_registrations": list(repair.re_registrations.all()),
        "history": history_for(repair, reader=user),
    }


def asset_hardware(asset, user=None) -> dict:
    """For the asset page (`repairs/_asset_hardware.html`): its repair history, loans against
    it, and whether its serial is under a spare-sale warranty today."""
    today = clock.today()
    repairs = Repair.objects.filter(asset=asset)
    loans = Loan.objects.filter(faulty_asset=asset)
    if user is not None:
        repairs, loans = repairs.visible_to(user), loans.visible_to(user)
    return {
        "asset": asset,
        "repairs": rows(
            repairs.with_billable().select_related("loaner").order_by("-received_on", "-id"),
            today,
        ),
        "loans": list(loans.select_related("part").order_by("-start_date")),
        "warranty": warranty_for(asset.serial_number, on=today, customer_id=asset.customer_id),
    }
