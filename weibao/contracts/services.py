"""Writes for contracts: creating one with its default policy, editing the policy, and
counting entitlement usage (CAT-4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.catalog.models import Entitlement, Period
from weibao.contracts.models import (
    Contract,
    ContractPolicy,
    DistanceTierRow,
    EntitlementUsage,
    EscalationRule,
    ResponseTarget,
)
from weibao.contracts.policy import ClockKind, Policy, default_policy
from weibao.core import permissions
from weibao.core.errors import DomainError


class QuotaExceeded(DomainError):
    code = "quota_exceeded"


def _require_config(actor, customer_id: int | None) -> None:
    if actor is not None:
        permissions.require(actor, Capability.CONFIG_EDIT, customer_id=customer_id)


@transaction.atomic
def create_contract(
    *,
    customer,
    plan,
    number: str,
    title: str,
    start_date: dt.date,
    end_date: dt.date,
    sites=(),
    assets=(),
    level_scheme: int = 3,
    actor=None,
) -> Contract:
    """Create a contract with the spec's default policy (表 11–16) and its coverage. Only
    administrators (`config.edit`) do; `actor=None` is the system (imports, the demo)."""
    _require_config(actor, customer.pk)
    contract = Contract(
        customer=customer,
        plan=plan,
        number=number,
        title=title,
        start_date=start_date,
        end_date=end_date,
    )
    contract.full_clean()
    contract.save()
    if sites:
        contract.sites.set(sites)
    if assets:
        contract.assets.set(assets)
    write_policy(contract, default_policy(level_scheme), actor=actor)
    return contract


@transaction.atomic
def write_policy(contract: Contract, policy: Policy, *, actor=None) -> ContractPolicy:
    """Replace a contract's policy with `policy` (validated first; nothing half-written).
    Only administrators (`config.edit`) do; `actor=None` is the system."""
    _require_config(actor, contract.customer_id)
    validate_policy(policy)
    row, _created = ContractPolicy.objects.update_or_create(
        contract=contract,
        defaults={
            "level_scheme": policy.level_scheme,
            "arrival_rule": policy.arrival_rule,
            "onsite_for_l3": policy.onsite_for_l3,
            **policy.terms,
        },
    )
    row.full_clean()
    row.response_targets.all().delete()
    ResponseTarget.objects.bulk_create(
        ResponseTarget(policy=row, clock=clock, level=level, minutes=minutes)
        for clock, levels in policy.response.items()
        for level, minutes in levels.items()
    )
    row.distance_tiers.all().delete()
    DistanceTierRow.objects.bulk_create(
        DistanceTierRow(policy=row, max_km=t.max_km, minutes=t.minutes)
        for t in policy.distance_tiers
    )
    row.escalation_rules.all().delete()
    EscalationRule.objects.bulk_create(
        EscalationRule(policy=row, level=s.level, after_minutes=s.after_minutes, target=s.target)
        for s in policy.escalation
    )
    return row


def validate_policy(policy: Policy) -> None:
    """Refuse a policy with a missing, zero or negative duration, naming the field."""

    def positive(value: Any, field: str) -> None:
        if value is None or isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise DomainError(_("时长必须是大于 0 的整数。"), code="invalid_duration", field=field)

    if policy.level_scheme not in (3, 4):
        raise DomainError(_("故障分级只能是三级或四级。"), field="level_scheme")
    phone = policy.response.get(ClockKind.PHONE_RESPONSE, {})
    for level in (*policy.levels, "consultation", "other"):
        if level not in phone:
            raise DomainError(
                _("电话支持响应缺少 %(level)s 的时限。") % {"level": level},
                code="invalid_duration",
                field=f"response.phone_response.{level}",
            )
    for clock, levels in policy.response.items():
        for level, minutes in levels.items():
            positive(minutes, f"response.{clock}.{level}")
    if not policy.distance_tiers or policy.distance_tiers[-1].max_km is not None:
        raise DomainError(_("到场距离分档的最后一档必须不设上限。"), field="distance_tiers")
    limits = [t.max_km for t in policy.distance_tiers[:-1]]
    if any(km is None or km <= 0 for km in limits) or limits != sorted(set(limits)):
        raise DomainError(_("距离上限必须为正数且递增。"), field="distance_tiers")
    for i, tier in enumerate(policy.distance_tiers):
        positive(tier.minutes, f"distance_tiers.{i}.minutes")
    for i, step in enumerate(policy.escalation):
        positive(step.after_minutes, f"escalation.{i}.after_minutes")
    for name, value in policy.terms.items():
        positive(value, f"terms.{name}")


@dataclass(frozen=True)
class PeriodWindow:
    start: dt.date
    end: dt.date


def period_window(contract: Contract, period: str, day: dt.date) -> PeriodWindow:
    """The counting window of `period` that contains `day`, aligned on the contract year."""
    _n, year_start, year_end = contract.contract_year(day)
    months = {Period.HALF_YEAR: 6, Period.QUARTER: 3, Period.MONTH: 1}.get(period)
    if period == Period.CONTRACT:
        return PeriodWindow(contract.start_date, contract.end_date)
    if months is None:
        return PeriodWindow(year_start, year_end)
    start = year_start
    while True:
        end = _add_months(start, months)
        if day < end:
            return PeriodWindow(start, min(end - dt.timedelta(days=1), year_end))
        start = end


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@transaction.atomic
def consume_entitlement(
    contract: Contract, code: str, *, on: dt.date, billable_ok: bool = False, actor=None
) -> EntitlementUsage:
    """Count one use of a counted entitlement (e.g. a spare exchange) in its period.

    Over the quota it is refused with `QuotaExceeded` — or, when the caller explicitly
    accepts it as billable, counted as a billable use. Concurrent calls are serialised on the
    usage row, so the 11th exchange can never slip through.
    """
    entitlement = Entitlement.objects.filter(plan_id=contract.plan_id, code=code).first()
    if entitlement is None:
        raise DomainError(
            _("合同的服务等级不包含“%(code)s”。") % {"code": code}, code="not_entitled"
        )
    window = period_window(contract, entitlement.period, on)
    EntitlementUsage.objects.get_or_create(
        contract=contract,
        entitlement=entitlement,
        period_start=window.start,
        defaults={"period_end": window.end},
    )
    usage = EntitlementUsage.objects.select_for_update().get(
        contract=contract, entitlement=entitlement, period_start=window.start
    )
    if entitlement.is_counted and usage.used >= entitlement.quantity:
        if not billable_ok:
            raise QuotaExceeded(
                _(
                    "本合同年度的“%(name)s”已用完（%(used)d/%(quota)s 次，%(start)s 至 %(end)s）；"
                    "如需继续，请选择按收费服务处理。"
                )
                % {
                    "name": entitlement.name,
                    "used": usage.used,
                    "quota": f"{entitlement.quantity.normalize():f}",
                    "start": window.start,
                    "end": window.end,
                }
            )
        usage.billable += 1
    else:
        usage.used += 1
    usage.save(update_fields=["used", "billable"])
    return usage
