"""Registering a returned part (返修设备登记表, RMA-1): which part, whose, under which contract,
and when it is due back — receipt day + 30/60 working days on the Chinese calendar (RMA-3)."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.db import transaction
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.assets.models import Asset, AssetStatus, RepairOrigin
from weibao.calendars import provisional
from weibao.contracts.selectors import resolve_contract
from weibao.core import audit, bounds, clock
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import EventText, event_text, followed_by
from weibao.core.permissions import require
from weibao.repairs.choices import Leg, Payer, RepairEvent
from weibao.repairs.models import Repair, RepairHop
from weibao.spares.models import PartType, SaleOrder, SparePart
from weibao.spares.selectors import warranty_for
from weibao.spares.terms import contract_terms


class NotRepairable(DomainError):
    """RMA-6: customer-bought supporting equipment is not repaired under the contract."""

    code = "customer_bought_supporting"


class DueDate(NamedTuple):
    """A repair's promise: working days, the due date, and the first year whose schedule is
    not imported among the days counted (None: the date is official)."""

    working_days: int
    due: dt.date
    calendar_year: int | None

    @property
    def provisional(self) -> bool:
        return self.calendar_year is not None


def due_date_for(received_on: dt.date, origin: str, terms: dict[str, int]) -> DueDate:
    """The receipt day is day 0; 30 working days for parts repaired in China, 60 for parts
    repaired abroad (or what the contract says). When the count runs into a year whose State
    Council schedule is not imported, the date is provisional (statutory holidays, no 调休;
    `weibao.calendars.provisional`) and is recomputed when that year is imported."""
    key = (
        "repair_foreign_working_days"
        if origin == RepairOrigin.FOREIGN
        else "repair_domestic_working_days"
    )
    days = terms[key]
    due, years = provisional.add_working_days(received_on, days)
    return DueDate(days, due, provisional.first_provisional_year(years))


def _visible(queryset, actor):
    return queryset.visible_to(actor) if actor is not None else queryset


def _identify(*, customer, asset, serial_number: str, actor):
    """The customer and asset of the part, from the asset or its serial number."""
    if asset is None:
        serial_number = serial_number.strip()
        if not serial_number:
            raise DomainError(_("请选择设备或填写序列号。"), field="serial_number")
        assets = _visible(Asset.objects.all(), actor).filter(serial_number__iexact=serial_number)
        if customer is not None:
            assets = assets.filter(customer=customer)
        found = list(assets[:2])
        if len(found) == 1:
            asset = found[0]
        elif len(found) > 1:
            raise DomainError(_("多个客户有此序列号的设备，请指定客户。"), field="customer")
        elif customer is None:
            customer = _owner_of_serial(serial_number, actor)
    if asset is not None:
        if customer is not None and asset.customer_id != customer.pk:
            raise DomainError(_("设备不属于该客户。"), field="asset")
        if asset.customer_bought_supporting:
            raise NotRepairable(
                _("%(asset)s 是客户自行购买的配套设备，服务商不承诺修复（返修服务说明第 6 条）。")
                % {"asset": asset},
                field="asset",
            )
        return asset.customer, asset, asset.serial_number
    return customer, None, serial_number


def _owner_of_serial(serial_number: str, actor):
    """The customer a bought or own spare with this serial belongs to."""
    sale = (
        _visible(SaleOrder.objects.all(), actor)
        .filter(items__serial_number__iexact=serial_number)
        .select_related("customer")
        .first()
    )
    if sale is not None:
        return sale.customer
    part = (
        _visible(SparePart.objects.all(), actor)
        .filter(serial_number__iexact=serial_number, pool__customer__isnull=False)
        .select_related("pool__customer")
        .first()
    )
    if part is not None:
        return part.pool.customer
    raise DomainError(
        _("没有找到序列号为 %(serial)s 的设备，请指定客户。") % {"serial": serial_number},
        field="customer",
    )


def provisional_note(year: int) -> EventText:
    """How a provisional due date is labelled in history entries and notices."""
    return event_text(
        "暂定：%(year)s 年放假安排尚未导入，按法定节假日推算（不含调休），导入后自动重算",
        year=year,
    )


@transaction.atomic
def register_repair(
    *,
    fault_description: str,
    received_on: dt.date,
    customer=None,
    asset: Asset | None = None,
    serial_number: str = "",
    site=None,
    part_type: PartType | None = None,
    part_description: str = "",
    repair_origin: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    carrier: str = "",
    tracking_number: str = "",
    previous: Repair | None = None,
    provider_pays_shipping: bool = False,
    actor=None,
) -> Repair:
    """Register a part received for repair and compute its due date.

    Needs `repair.register` for the part's customer (a customer's user registers for their
    own organisation only). Refused with a clear reason (and nothing written) for
    customer-bought supporting
    equipment (RMA-6), an unknown serial without a customer or a receipt date in the future.
    A due date in a year whose schedule is not imported is never a refusal: it is stored as
    provisional (`due_provisional`, `due_calendar_year`) and recomputed on import.
    """
    if actor is not None and getattr(actor, "customer_id", None):
        customer = actor.customer  # a customer's user registers for their own organisation
    if actor is not None:
        require(actor, Capability.REPAIR_REGISTER, customer_id=getattr(customer, "pk", None))
    if not fault_description.strip():
        raise DomainError(_("请填写故障现象。"), field="fault_description")
    bounds.check_text(fault_description, "fault_description")
    if received_on > clock.today():
        raise DomainError(_("收到日期不能晚于今天。"), field="received_at")
    bounds.check_date(received_on, "received_at", not_after_today=True)
    customer, asset, serial_number = _identify(
        customer=customer, asset=asset, serial_number=serial_number, actor=actor
    )
    if actor is not None:
        require(actor, Capability.REPAIR_REGISTER, customer_id=customer.pk)
    if site is None and asset is not None:
        site = asset.site
    if site is not None and site.customer_id != customer.pk:
        raise DomainError(_("机房不属于该客户。"), field="site")
    origin = repair_origin or (asset.repair_origin if asset else RepairOrigin.DOMESTIC)
    if origin not in RepairOrigin.values:
        raise DomainError(_("维修地只能是国内或国外。"), field="repair_origin")
    if part_type is None and asset is not None and asset.model:
        part_type = PartType.objects.filter(asset_model=asset.model).order_by("id").first()
    contract, _covered = resolve_contract(customer, site, received_on)
    terms = contract_terms(contract)
    working_days, due, calendar_year = due_date_for(received_on, origin, terms)
    listed = contract is not None and (
        asset is None
        or not contract.assets.exists()
        or contract.assets.filter(pk=asset.pk).exists()
    )
    warranty = warranty_for(serial_number, on=received_on, customer_id=customer.pk)
    repair = Repair.objects.create(
        customer=customer,
        site=site,
        asset=asset,
        serial_number=serial_number,
        part_type=part_type,
        part_description=part_description or (f"{asset.name} {asset.model}" if asset else ""),
        fault_description=fault_description.strip(),
        repair_origin=origin,
        contract=contract,
        not_covered=not listed,
        received_on=received_on,
        working_days=working_days,
        due_date=due,
        due_provisional=calendar_year is not None,
        due_calendar_year=calendar_year,
        trial_months=terms["repair_trial_months"],
        warranty_until=warranty.until,
        in_warranty=warranty.covered if warranty.item else None,
        previous=previous,
        provider_pays_shipping=provider_pays_shipping,
        contact_name=contact_name,
        contact_phone=contact_phone,
        created_by=actor,
    )
    audit.set_after_create(repair, number=f"RMA{received_on:%y%m%d}-{repair.pk:05d}")
    RepairHop.objects.create(
        repair=repair,
        leg=Leg.CUSTOMER_TO_OFFICE,
        arrived_on=received_on,
        carrier=carrier,
        tracking_number=tracking_number,
        paid_by=Payer.PROVIDER if provider_pays_shipping else Payer.CUSTOMER,
        insured=provider_pays_shipping,
    )
    if asset is not None and asset.status != AssetStatus.IN_REPAIR:
        asset.status = AssetStatus.IN_REPAIR
        asset.save(update_fields=["status", "updated_at"])
    message = event_text(
        "登记返修：%(fault)s；%(origin)s %(days)d 个工作日，应于 %(due)s 前返回",
        fault=fault_description.strip()[:120],
        origin=RepairOrigin(origin),
        days=working_days,
        due=due,
    )
    if calendar_year is not None:
        message = followed_by(message, provisional_note(calendar_year))
    if previous is not None:
        message = followed_by(
            message, event_text("试用不合格重新登记，原返修单 %(n)s", n=previous.number)
        )
    record_event(repair, kind=RepairEvent.REGISTERED, actor=actor, message=message)
    return repair
