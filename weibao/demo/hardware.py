"""Demo data for hardware support: the provider's spare pool and the customer's own, repairs
in every state (one late, whose loaner the scheduler raises), exchange loans in every state,
and spare-part sales from request to delivery — including one converted from a loan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from weibao.assets.models import Asset
from weibao.billing import services as billing
from weibao.calendars.workdays import add_working_days, known_years
from weibao.core import clock, due
from weibao.core.audit import acting_as
from weibao.repairs import services as repairs
from weibao.repairs.models import Repair
from weibao.spares.choices import Tier
from weibao.spares.models import PartType, SparePool, StockLocation
from weibao.spares.services import inventory, loans, sales

# part number, name, asset model it fits, catalog price, units in the provider's pool
PART_TYPES = [
    ("ZXM10-FSUL-MB", "FSU-L 主控板", "ZXM10 FSU-L", "2800.00", 10),
    ("ZXM10-FSU-MB", "FSU 主控板", "ZXM10 FSU", "3600.00", 3),
    ("FH-FE10-BD", "光端机 FH-FE10 板卡", "FH-FE10", "650.00", 3),
    ("FH-GE100-BD", "光端机 FH-GE100 板卡", "FH-GE100", "1200.00", 2),
    ("DH-2433-CAM", "网络摄像机 DH-IPC-HFW2433", "DH-IPC-HFW2433", "780.00", 0),
    ("P1020-FAN", "精密空调 P1020 风机组件", "P1020", "4200.00", 1),
    ("HDD-8T-SV", "NVR 监控硬盘 8TB", "", "1500.00", 4),
    ("PSU-48V-30A", "48V/30A 电源模块", "", "860.00", 2),
]


def _anchor() -> dt.date:
    """Today, or early enough that every demo due date (≤ 30 working days on) is on the
    calendar: near the end of the last imported year the demo moves back a few weeks."""
    today = clock.today()
    years = known_years()
    if not years:
        return today
    return min(today, add_working_days(dt.date(max(years), 12, 31), -35))


@transaction.atomic
def load_hardware(customer, users) -> None:
    """Create the hardware demo once; later runs keep whatever users did with it."""
    if Repair.objects.filter(customer=customer).exists() or not known_years():
        return
    keeper = users["keeper"]
    with acting_as(keeper):
        types = _stock(customer)
        _repairs(customer, keeper, types, manager=users["manager"])
        _loans(customer, keeper, types, manager=users["manager"])
        _sales(customer, keeper, types)
        for source in due.sources():  # what the scheduler would do now: loaners, conversions
            if source.name.startswith(("repairs.", "spares.")):
                due.drain(source.process, now=clock.now(), batch=100)


def _stock(customer) -> dict[str, PartType]:
    pool = SparePool.objects.create(
        provider=customer.provider, tier=Tier.PROVIDER, name="南京备件中心（二级备件库）"
    )
    shelves = [
        StockLocation.objects.create(pool=pool, name="A 区货架", address="南京市江宁区备件仓"),
        StockLocation.objects.create(pool=pool, name="上海前置库", address="上海市闵行区"),
    ]
    types = {}
    for number, name, model, price, units in PART_TYPES:
        part_type, _ = PartType.objects.get_or_create(
            part_number=number,
            defaults={"name": name, "asset_model": model, "catalog_price": Decimal(price)},
        )
        types[number] = part_type
        for n in range(units):
            inventory.receive_part(
                part_type=part_type,
                serial_number=f"{number}-{n + 1:03d}",
                location=shelves[n % 2],
                note="期初库存",
            )
    own = inventory.default_location(inventory.own_pool(customer))
    for n in range(2):
        inventory.receive_part(
            part_type=types["FH-FE10-BD"],
            serial_number=f"HD-FE10-{n + 1:02d}",
            location=own,
            note="客户自有备件",
        )
    return types


def _asset(customer, model: str, n: int = 0) -> Asset:
    return list(Asset.objects.filter(customer=customer, model=model).order_by("site__code", "id"))[
        n
    ]


def _repairs(customer, keeper, types, *, manager) -> None:
    anchor = _anchor()

    def received(wd: int) -> dt.date:
        return add_working_days(anchor, -wd)

    def register(model, n, wd, fault, **extra):
        return repairs.register_repair(
            asset=_asset(customer, model, n),
            received_on=received(wd),
            fault_description=fault,
            contact_name="孔工",
            contact_phone="13900000003",
            actor=keeper,
            **extra,
        )

    register(
        "ZXM10 FSU-L",
        0,
        3,
        "FSU-L 主控板上电后运行灯不亮，采集中断",
        carrier="顺丰",
        tracking_number="SF1302260001",
    )

    at_center = register("FH-FE10", 0, 12, "光端机 FE 口频繁闪断")
    repairs.record_hop(
        at_center,
        leg="office_to_center",
        shipped_on=received(11),
        carrier="EMS",
        tracking_number="EMS9912003",
        actor=keeper,
    )
    repairs.move(at_center, "send_to_center", actor=keeper)

    # Due two working days ago and not back: the scheduler lends a free FSU-L board.
    register("ZXM10 FSU-L", 1, 32, "主控板反复重启，更换电源无效")
    # Late too, and no camera in the provider's pool: the keeper is told to arrange one.
    register("DH-IPC-HFW2433", 0, 33, "摄像机无图像，红外灯不亮")

    foreign = register("P1020", 0, 50, "风机组件异响，转速异常", repair_origin="foreign")
    repairs.move(foreign, "send_to_center", actor=keeper)
    repairs.move(foreign, "repaired", actor=keeper)
    repairs.record_hop(
        foreign,
        leg="center_to_office",
        shipped_on=received(2),
        carrier="顺丰",
        tracking_number="SF1302260188",
        actor=keeper,
    )

    trial = register("ZXM10 FSU", 0, 25, "FSU 采集数据偶发丢失")
    repairs.move(trial, "repaired", actor=keeper)
    repairs.record_return(trial, returned_on=received(5), actor=keeper)
    repairs.record_feedback(trial, on=received(5), by="孔工", note="收货完好", actor=keeper)

    done = register("ZXM10 FSU-L", 2, 70, "主控板死机")
    repairs.move(done, "repaired", actor=keeper)
    repairs.record_return(done, returned_on=received(45), actor=keeper)
    repairs.record_feedback(done, on=received(43), by="值班员", note="传真补发", actor=keeper)

    failed = register("FH-GE100", 0, 40, "光端机无光")
    repairs.move(failed, "repaired", actor=keeper)
    repairs.record_return(failed, returned_on=received(15), actor=keeper)
    repairs.record_feedback(failed, on=received(15), by="孔工", actor=keeper)
    repairs.fail_trial(failed, reason="试用第 8 天再次无光", received_on=received(4), actor=keeper)

    dead = register("DH-IPC-HFW2433", 1, 20, "摄像机进水，主板腐蚀")
    repairs.move(dead, "unrepairable", note="主板腐蚀，无备件可修", actor=keeper)
    repairs.record_return(dead, returned_on=received(6), actor=keeper)

    struck = register("ZXM10 FSU-L", 3, 8, "雷雨后 FSU 主控板烧毁")
    # Out of scope (lightning): billed like a ticket — the keeper writes the statement, the
    # manager sends it, the customer's leader approves it in the portal.
    repairs.mark_billable(
        struck, causes=["accident"], evidence="雷击，机房有现场照片", actor=keeper
    )
    statement = struck.statements.get()
    for line in (
        {"kind": "part", "description": "主控芯片及外围器件", "part_number": "FSU-L-IC",
         "quantity": 1, "unit_price": "980"},
        {"kind": "labour", "description": "维修人工", "quantity": 3, "unit_price": "150"},
        {"kind": "service_fee", "description": "技术服务费", "quantity": 1, "unit_price": "300"},
    ):  # fmt: skip
        billing.add_line(statement, actor=keeper, **line)
    billing.send_statement(statement, actor=manager)
    repairs.move(struck, "send_to_center", actor=keeper)


def _loans(customer, keeper, types, *, manager) -> None:
    today = clock.today()
    board = types["ZXM10-FSUL-MB"]
    site = _asset(customer, "ZXM10 FSU-L", 4).site

    def lend(days_ago: int, serial: str, **extra):
        start = today - dt.timedelta(days=days_ago)
        return loans.lend_exchange(
            customer=customer,
            part_type=board,
            site=site,
            faulty_serial_number=serial,
            faulty_received_on=start,
            start_date=start,
            actor=keeper,
            **extra,
        )

    fresh = lend(10, "HD-FSUL-BAD-01", deliver_by=clock.now() - dt.timedelta(days=9, hours=20))
    loans.record_delivery(fresh, at=clock.now() - dt.timedelta(days=9, hours=22), actor=keeper)
    lend(88, "HD-FSUL-BAD-02")  # its three months end in a couple of days
    extended = lend(125, "HD-FSUL-BAD-03")
    loans.extend_loan(  # past three months: the maintenance manager approves
        extended, new_end=extended.latest_end, reason="新采购板卡尚未到货", actor=manager
    )
    loans.return_loan(
        lend(70, "HD-FSUL-BAD-04"), returned_on=today - dt.timedelta(days=20), actor=keeper
    )
    # The damaged board is billed: its statement is sent, waiting for the customer's leader.
    damaged = loans.compensate_loan(
        lend(40, "HD-FSUL-BAD-05"), note="借用板卡在机房漏水中损坏", actor=keeper
    )
    billing.send_statement(billing.exclusion_for(damaged).statements.get(), actor=manager)
    old = lend(190, "HD-FSUL-BAD-06")  # kept past six months: the scheduler sells it
    loans.extend_loan(old, new_end=old.latest_end, reason="客户申请延期", actor=manager)


def _sales(customer, keeper, types) -> None:
    today = clock.today()
    hdd, psu = types["HDD-8T-SV"], types["PSU-48V-30A"]

    def days(n: int) -> dt.date:
        return today - dt.timedelta(days=n)

    def order(text, requested, stop, *, prepaid=None, quantity=1, part_type=hdd):
        o = sales.request_sale(
            customer=customer, request_text=text, requested_on=days(requested), actor=keeper
        )
        if stop == "requested":
            return o
        price = part_type.catalog_price
        sales.propose_quote(
            o,
            proposal=f"{part_type.name} {quantity} 件",
            lines=[(part_type, quantity, price * Decimal("1.1"))],
            actor=keeper,
        )
        sales.reject_quote(o, note="报价偏高，请按目录价", actor=keeper)
        sales.propose_quote(
            o,
            proposal=f"{part_type.name} {quantity} 件（目录价）",
            lines=[(part_type, quantity, price)],
            actor=keeper,
        )
        if stop == "quoted":
            return o
        sales.agree_quote(o, actor=keeper)
        if stop == "agreed":
            return o
        sales.sign_sale_contract(
            o, contract_number=f"XS-{o.pk:04d}", signed_on=days(requested - 2), actor=keeper
        )
        if stop == "contracted":
            return o
        sales.record_prepayment(
            o, prepaid_on=days(prepaid), amount=price * quantity * Decimal("0.3"), actor=keeper
        )
        return o

    order("监控中心 NVR 扩容用硬盘", 2, "requested")
    order("端局电源模块备件", 6, "quoted", part_type=psu)
    order("核心机房硬盘备件", 10, "agreed")
    order("汇聚机房硬盘备件", 14, "contracted")
    order("年度硬盘备件（临近发货期限）", 100, "prepaid", prepaid=80, quantity=2)
    order("年度电源备件（已超发货期限）", 120, "prepaid", prepaid=97, part_type=psu)
    shipped = order("NVR 硬盘 2 块", 40, "prepaid", prepaid=30, quantity=2)
    sales.ship_sale(
        shipped,
        shipped_on=days(2),
        serials=[(hdd, "HDD-8T-SV-001"), (hdd, "HDD-8T-SV-002")],
        carrier="顺丰",
        tracking_number="SF1302269001",
        actor=keeper,
    )
    delivered = order("端局电源模块 1 块", 90, "prepaid", prepaid=75, part_type=psu)
    sales.ship_sale(
        delivered,
        shipped_on=days(63),
        serials=[(psu, "HD-PSU-0001")],
        carrier="EMS",
        tracking_number="EMS7700001",
        actor=keeper,
    )
    sales.deliver_sale(
        delivered, delivered_on=days(60), signed_by="孔工", note="外观完好，通电正常", actor=keeper
    )
    cancelled = sales.request_sale(
        customer=customer,
        request_text="摄像机备件（预算取消）",
        requested_on=days(30),
        actor=keeper,
    )
    sales.cancel_sale(cancelled, reason="客户年度预算取消", actor=keeper)
    # The bought module comes back for repair: in warranty (delivered 60 days ago).
    repairs.register_repair(
        customer=customer,
        serial_number="HD-PSU-0001",
        part_type=psu,
        part_description="48V/30A 电源模块",
        fault_description="输出电压波动",
        received_on=_anchor(),
        actor=keeper,
    )
