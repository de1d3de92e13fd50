"""Demo data for provisional due dates: a part received today whose 30 working days run into
a year whose State Council schedule is not imported yet — registered anyway, its due date
flagged 暂定 until the year is imported (then recomputed, recorded and the keeper told).

Idempotent: one such repair per customer, found again by its fault description.
"""

from __future__ import annotations

from django.db import transaction

from weibao.assets.models import Asset
from weibao.calendars import provisional
from weibao.core import clock
from weibao.core.audit import acting_as
from weibao.repairs import services as repairs
from weibao.repairs.models import Repair

FAULT = "电源模块输出电压波动，告警频繁（年底收到，应返回日期跨入未导入放假安排的年份）"


@transaction.atomic
def load_provisional_repair(customer, users) -> Repair | None:
    """Register today's repair with a provisional due date (when today's count runs into an
    unimported year), once."""
    existing = Repair.objects.filter(customer=customer, fault_description=FAULT).first()
    if existing is not None:
        return existing
    today = clock.today()
    if not provisional.add_working_days(today, 30).provisional:
        return None  # the calendar already covers the due date: nothing provisional to show
    asset = (
        Asset.objects.filter(customer=customer, customer_bought_supporting=False)
        .order_by("site__code", "id")
        .first()
    )
    if asset is None:
        return None
    keeper = users["keeper"]
    with acting_as(keeper):
        return repairs.register_repair(
            asset=asset,
            received_on=today,
            fault_description=FAULT,
            contact_name="孔工",
            contact_phone="13900000003",
            carrier="顺丰",
            tracking_number="SF1311290001",
            actor=keeper,
        )
