"""Making and changing inspection plans (INS-1, INS-2)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.catalog.models import Entitlement
from weibao.core import clock
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import event_text
from weibao.core.permissions import require
from weibao.inspections import dates, holidays, planning
from weibao.inspections.choices import InspectionEvent, VisitKind, VisitState
from weibao.inspections.flow import INSPECTION_VISIT_FLOW as FLOW
from weibao.inspections.models import InspectionSettings, InspectionVisit, VisitMove
from weibao.inspections.notices import notify_moved

REMIND_AT = dt.time(9, 0)  # customers are told in the morning


def settings_for(contract) -> InspectionSettings:
    """The contract's inspection settings, created with the defaults on first use."""
    settings, _created = InspectionSettings.objects.get_or_create(contract=contract)
    return settings


def remind_at(planned: dt.date, settings: InspectionSettings) -> dt.datetime | None:
    """When the customer hears of a visit: `notify_days_ahead` days before, in the morning;
    never for a visit already in the past."""
    if planned < clock.today():
        return None
    day = planned - dt.timedelta(days=settings.notify_days_ahead)
    return timezone.make_aware(dt.datetime.combine(day, REMIND_AT))


@dataclass
class PlanResult:
    contract_year: int
    start: dt.date
    end: dt.date
    created: list[InspectionVisit] = field(default_factory=list)
    kept: int = 0


@transaction.atomic
def generate_plan(contract, *, on: dt.date | None = None, actor=None) -> PlanResult:
    """Plan the visits of the contract year containing `on` (default today) from the plan's
    inspection entitlements, the contract's settings and the calendar. Idempotent: visits
    already planned (same key) are kept as they are, moved or done. The actor needs
    `inspection.plan` (`actor=None`: the system, e.g. the demo or a command)."""
    if actor is not None:
        require(actor, Capability.INSPECTION_PLAN, customer_id=contract.customer_id)
    on = on or clock.today()
    if not contract.start_date <= on <= contract.end_date:
        raise DomainError(
            _("%(day)s 不在合同期内。") % {"day": on}, code="outside_contract", field="on"
        )
    number, start, end = contract.contract_year(on)
    end = min(end, contract.end_date)
    settings = settings_for(contract)
    sites = [planning.SiteRef(s.pk, s.code, s.kind) for s in contract.sites.all()]
    rules = planning.rules_for(
        Entitlement.objects.filter(plan_id=contract.plan_id, item__slug="inspection"),
        include_front_end=settings.include_front_end,
    )
    common = {"customer_id": contract.customer_id, "contract": contract, "contract_year": number}
    drafts: list[InspectionVisit] = []
    for planned in planning.periodic_visits(
        rules, sites, year_start=start, year_end=end, contract_year=number
    ):
        day, missing = dates.working_day_near(planned.target, not_after=planned.period_end)
        drafts.append(
            InspectionVisit(
                site_id=planned.site.pk,
                kind=planned.kind,
                plan_key=planned.key,
                period_start=planned.period_start,
                period_end=planned.period_end,
                **_dated(day, missing, settings),
                **common,
            )
        )
    centers = [s for s in sites if s.kind == "monitoring_center"]
    for group in dates.pre_holiday_groups(start, end) if centers else []:
        primary = group[0]
        day, missing = _pre_holiday_date(primary, settings)
        for site in centers:
            drafts.append(
                InspectionVisit(
                    site_id=site.pk,
                    kind=VisitKind.PRE_HOLIDAY,
                    plan_key=f"pre_holiday:{site.pk}:{primary.year}:{primary.holiday}",
                    period_start=start,
                    period_end=end,
                    holiday=primary.holiday,
                    holiday_year=primary.year,
                    holiday_names=holidays.merge_label([p.holiday for p in group]),
                    holiday_first_day_off=primary.first_day_off,
                    **_dated(day, missing, settings),
                    **common,
                )
            )
    existing = set(contract.inspection_visits.values_list("plan_key", flat=True))
    new = [draft for draft in drafts if draft.plan_key not in existing]
    InspectionVisit.objects.bulk_create(new, ignore_conflicts=True)
    created = list(
        InspectionVisit.objects.filter(contract=contract, plan_key__in=[v.plan_key for v in new])
    )
    if created:
        record_event(
            contract,
            kind=InspectionEvent.PLANNED,
            actor=actor,
            message=event_text(
                "生成第 %(n)s 合同年度（%(start)s 至 %(end)s）巡检计划：新增 %(count)s 次",
                n=number,
                start=start,
                end=end,
                count=len(created),
            ),
        )
    return PlanResult(number, start, end, created, kept=len(drafts) - len(new))


def _dated(day: dt.date, missing: int | None, settings) -> dict:
    return {
        "planned_date": day,
        "generated_date": day,
        "provisional": missing is not None,
        "calendar_year": missing,
        "remind_at": remind_at(day, settings),
    }


def _pre_holiday_date(period: holidays.HolidayPeriod, settings) -> dates.Placed:
    n = settings.pre_holiday_working_days
    day, missing = dates.working_days_before(period.first_day_off, n)
    # an estimated holiday period waits for its own year's schedule, whatever the count used
    return day, (period.year if not period.official else missing)


def replan_provisional(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Settle provisional visits whose year's schedule has been imported (a due source: the
    tick runs it). A date a planner chose is kept; the others are recomputed."""
    from weibao.calendars import workdays
    from weibao.core.due import claim

    known = workdays.known_years()
    with transaction.atomic():
        visits = list(
            claim(
                InspectionVisit.objects.filter(provisional=True, calendar_year__in=known)
            ).order_by("id")[:limit]
        )
        for visit in visits:
            _settle(visit)
    return len(visits)


def _settle(visit: InspectionVisit) -> None:
    settings = settings_for(visit.contract)
    before, year = visit.planned_date, visit.calendar_year
    if visit.state != VisitState.PLANNED or visit.moved_by_planner:
        visit.provisional, visit.calendar_year = False, None
        visit.save(update_fields=["provisional", "calendar_year"])
        record_event(
            visit,
            kind=InspectionEvent.CONFIRMED,
            message=event_text(
                "%(year)s 年放假安排已导入；保留日期 %(day)s。", year=year, day=before
            ),
        )
        return
    if visit.kind == VisitKind.PRE_HOLIDAY:
        group = dates.group_of(visit.holiday, visit.holiday_year)
        primary = group[0]
        if primary.holiday != visit.holiday and _merged_into(visit, primary):
            return
        visit.holiday_names = holidays.merge_label([p.holiday for p in group])
        visit.holiday_first_day_off = primary.first_day_off
        day, missing = _pre_holiday_date(primary, settings)
    else:
        day, missing = dates.working_day_near(before, not_after=visit.period_end)
    visit.planned_date, visit.provisional, visit.calendar_year = day, missing is not None, missing
    if visit.reminded_at is None:
        visit.remind_at = remind_at(day, settings)
    visit.save()
    if missing is None:
        record_event(
            visit,
            kind=InspectionEvent.CONFIRMED,
            message=event_text(
                "%(year)s 年放假安排已导入，巡检日期确定为 %(day)s（暂定 %(before)s）。",
                year=year,
                day=day,
                before=before,
            ),
        )


def _merged_into(visit: InspectionVisit, primary: holidays.HolidayPeriod) -> bool:
    """The official schedule joined this holiday with another one (国庆节 + 中秋节): one visit
    serves both, so this one is cancelled when the other exists."""
    other = (
        InspectionVisit.objects.filter(
            contract=visit.contract,
            site=visit.site,
            kind=VisitKind.PRE_HOLIDAY,
            holiday=primary.holiday,
            holiday_year=primary.year,
        )
        .exclude(state=VisitState.CANCELLED)
        .first()
    )
    if other is None:
        return False
    visit.state = VisitState.CANCELLED
    visit.provisional, visit.calendar_year = False, None
    visit.cancel_reason = str(_("与%(other)s合并放假，合并为一次巡检") % {"other": other.title})
    visit.save()
    record_event(visit, kind=InspectionEvent.CANCELLED, message=visit.cancel_reason)
    return True


@transaction.atomic
def move_visit(visit: InspectionVisit, *, new_date: dt.date, reason: str, actor) -> VisitMove:
    """A planner moves a visit (INS-2): the move and its reason are recorded; a customer who
    was already told of the old date is told of the new one."""
    visit = InspectionVisit.objects.select_for_update().get(pk=visit.pk)
    FLOW.check(visit, "reschedule", actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写改期原因。"), code="reason_required", field="reason")
    if new_date is None:
        raise DomainError(_("请选择新日期。"), code="date_required", field="new_date")
    if new_date == visit.planned_date:
        raise DomainError(_("新日期与原日期相同。"), code="same_date", field="new_date")
    if new_date < clock.today():
        raise DomainError(_("不能改到今天之前。"), code="date_in_past", field="new_date")
    if new_date > visit.contract.end_date:
        raise DomainError(_("不能改到合同结束之后。"), code="after_contract", field="new_date")
    move = VisitMove.objects.create(
        visit=visit, from_date=visit.planned_date, to_date=new_date, reason=reason, actor=actor
    )
    visit.planned_date = new_date
    visit.moved_by_planner = True
    if visit.reminded_at is None:
        visit.remind_at = remind_at(new_date, settings_for(visit.contract))
    else:
        notify_moved(visit, move)
    visit.save()
    record_event(
        visit,
        kind=InspectionEvent.MOVED,
        actor=actor,
        message=event_text(
            "巡检由 %(old)s 改期至 %(new)s：%(reason)s",
            old=move.from_date,
            new=new_date,
            reason=reason,
        ),
        data={"from": move.from_date.isoformat(), "to": new_date.isoformat()},
    )
    return move


@transaction.atomic
def assign_engineer(visit: InspectionVisit, *, engineer, actor) -> InspectionVisit:
    """Name the engineer who will inspect."""
    visit = InspectionVisit.objects.select_for_update().get(pk=visit.pk)
    FLOW.check(visit, "assign", actor)
    if engineer is None or not engineer.has_capability(
        Capability.VISIT_WORK, customer_id=visit.customer_id
    ):
        raise DomainError(_("请选择一名维护工程师。"), code="not_engineer", field="engineer")
    visit.engineer = engineer
    visit.save(update_fields=["engineer"])
    record_event(
        visit,
        kind=InspectionEvent.ASSIGNED,
        actor=actor,
        message=event_text("指派巡检工程师：%(name)s", name=engineer),
    )
    return visit


@transaction.atomic
def cancel_visit(visit: InspectionVisit, *, reason: str, actor) -> InspectionVisit:
    """Cancel a planned visit, with the reason (it then counts neither planned nor done)."""
    visit = InspectionVisit.objects.select_for_update().get(pk=visit.pk)
    FLOW.check(visit, "cancel", actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写取消原因。"), code="reason_required", field="reason")
    visit.state = VisitState.CANCELLED
    visit.cancel_reason = reason[:200]
    visit.save(update_fields=["state", "cancel_reason"])
    record_event(
        visit,
        kind=InspectionEvent.CANCELLED,
        actor=actor,
        message=event_text("取消巡检：%(r)s", r=reason),
    )
    return visit
