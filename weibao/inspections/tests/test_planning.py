"""INS-1: a contract year's plan from the Gold entitlements, the working-day calendar and
the lunar festivals."""

import datetime as dt
from collections import Counter

import pytest

from weibao.calendars import services as calendar_services
from weibao.core import due
from weibao.inspections import services
from weibao.inspections.choices import Holiday, VisitKind, VisitState
from weibao.inspections.models import InspectionVisit

from .estate import build_estate

D = dt.date
pytestmark = pytest.mark.django_db


def test_contract_year_2026_has_the_right_visits(estate, frozen_clock):
    frozen_clock(dt.datetime(2025, 12, 1, 9, 0))

    result = services.generate_plan(estate.contract, on=D(2026, 1, 1))

    visits = list(InspectionVisit.objects.filter(contract=estate.contract))
    kinds = Counter(v.kind for v in visits)
    # core rooms incl. the monitoring center: 2 sites × 4 quarters
    assert kinds[VisitKind.CORE] == 8
    # 6 end offices, 50 % per half year: 3 + 3
    assert kinds[VisitKind.END_OFFICE] == 6
    # monitoring center before 元旦, 春节, 劳动节, 中秋节, 国庆节
    assert kinds[VisitKind.PRE_HOLIDAY] == 5
    # front-end equipment only when the contract includes it
    assert kinds[VisitKind.FRONT_END] == 0
    assert len(visits) == len(result.created) == 19
    assert (result.contract_year, result.start, result.end) == (1, D(2026, 1, 1), D(2026, 12, 31))
    assert not any(v.provisional for v in visits)


def test_core_rooms_are_visited_once_in_every_quarter(estate):
    services.generate_plan(estate.contract, on=D(2026, 1, 1))

    for site in (estate.center, estate.core):
        quarters = sorted(
            (v.planned_date.month - 1) // 3
            for v in InspectionVisit.objects.filter(site=site, kind=VisitKind.CORE)
        )
        assert quarters == [0, 1, 2, 3]


def test_every_end_office_is_visited_within_the_year_half_in_each_half(estate):
    services.generate_plan(estate.contract, on=D(2026, 1, 1))

    visits = InspectionVisit.objects.filter(contract=estate.contract, kind=VisitKind.END_OFFICE)
    first = sorted(v.site.code for v in visits if v.planned_date < D(2026, 7, 1))
    second = sorted(v.site.code for v in visits if v.planned_date >= D(2026, 7, 1))
    # stable ordering by site code: the first half takes EO-01..03, the second EO-04..06
    assert first == ["EO-01", "EO-02", "EO-03"]
    assert second == ["EO-04", "EO-05", "EO-06"]
    assert {v.site for v in visits} == set(estate.offices)


def test_odd_number_of_end_offices_still_covers_everyone_at_least_half_each_time(db):
    estate = build_estate(start=D(2026, 1, 1), offices=5)
    services.generate_plan(estate.contract, on=D(2026, 1, 1))

    visits = InspectionVisit.objects.filter(contract=estate.contract, kind=VisitKind.END_OFFICE)
    halves = Counter(v.planned_date < D(2026, 7, 1) for v in visits)
    assert halves == {True: 3, False: 3}  # ⌈50 % of 5⌉ each half
    assert {v.site for v in visits} == set(estate.offices)


def test_all_visits_fall_on_working_days(estate):
    from weibao.calendars.workdays import is_working_day

    services.generate_plan(estate.contract, on=D(2026, 1, 1))

    for visit in InspectionVisit.objects.filter(contract=estate.contract):
        assert is_working_day(visit.planned_date), visit


def test_pre_holiday_visits_two_working_days_before_the_first_day_off(estate):
    services.generate_plan(estate.contract, on=D(2026, 6, 1))

    visits = InspectionVisit.objects.filter(kind=VisitKind.PRE_HOLIDAY).order_by("planned_date")
    got = [(v.holiday, v.holiday_first_day_off, v.planned_date) for v in visits]
    # Hand-computed from the 2026 State Council schedule (working days counted backwards):
    # 元旦: off from Thu 01-01; Wed 12-31 is the 1st working day before, Tue 12-30 the 2nd.
    # 春节: off 02-15 … 02-23; Sat 02-14 is a 调休 working day (1st), so Fri 02-13 is the 2nd.
    # 劳动节: off from Fri 05-01; Thu 04-30 (1st), Wed 04-29 (2nd).
    # 中秋节: off Fri 09-25 … Sun 09-27; Thu 09-24 (1st), Wed 09-23 (2nd).
    # 国庆节: off from Thu 10-01 (a separate run: 09-28 … 09-30 are working days);
    #         Wed 09-30 (1st), Tue 09-29 (2nd).
    assert got == [
        (Holiday.NEW_YEAR, D(2026, 1, 1), D(2025, 12, 30)),
        (Holiday.SPRING_FESTIVAL, D(2026, 2, 15), D(2026, 2, 13)),
        (Holiday.MAY_DAY, D(2026, 5, 1), D(2026, 4, 29)),
        (Holiday.MID_AUTUMN, D(2026, 9, 25), D(2026, 9, 23)),
        (Holiday.NATIONAL_DAY, D(2026, 10, 1), D(2026, 9, 29)),
    ]
    assert all(v.site == estate.center for v in visits)


def test_pre_holiday_distance_is_configurable(estate):
    settings = services.settings_for(estate.contract)
    settings.pre_holiday_working_days = 3
    settings.save()

    services.generate_plan(estate.contract, on=D(2026, 1, 1))

    spring = InspectionVisit.objects.get(holiday=Holiday.SPRING_FESTIVAL)
    assert spring.planned_date == D(2026, 2, 12)  # 02-14 (调休), 02-13, 02-12


def test_holidays_sharing_one_period_get_one_visit(db):
    # 2025: Mid-Autumn (10-06) falls inside the National Day break (10-01 … 10-08)
    estate = build_estate(start=D(2025, 7, 1))
    services.generate_plan(estate.contract, on=D(2025, 7, 1))

    visits = InspectionVisit.objects.filter(kind=VisitKind.PRE_HOLIDAY).order_by("planned_date")
    assert [(v.holiday_names, v.planned_date) for v in visits] == [
        ("中秋节、国庆节", D(2025, 9, 29)),  # off from Wed 10-01; 09-28 is a 调休 Sunday
        ("元旦", D(2025, 12, 30)),
        ("春节", D(2026, 2, 13)),
        ("五一劳动节", D(2026, 4, 29)),
    ]


def test_front_end_equipment_quarterly_when_the_contract_includes_it(estate):
    from weibao.sites.models import SiteKind
    from weibao.testing import factories as f

    point = f.SiteFactory(customer=estate.customer, code="FE-01", kind=SiteKind.FRONT_END)
    estate.contract.sites.add(point)
    settings = services.settings_for(estate.contract)
    settings.include_front_end = True
    settings.save()

    services.generate_plan(estate.contract, on=D(2026, 1, 1))

    assert InspectionVisit.objects.filter(site=point, kind=VisitKind.FRONT_END).count() == 4


def test_generation_is_idempotent(estate):
    services.generate_plan(estate.contract, on=D(2026, 1, 1))
    again = services.generate_plan(estate.contract, on=D(2026, 8, 1))

    assert again.created == [] and again.kept == 19
    assert InspectionVisit.objects.filter(contract=estate.contract).count() == 19


SCHEDULE_2027 = """\
2027-01-01,holiday,元旦
2027-01-02,holiday,元旦
2027-01-03,holiday,元旦
2027-02-05,holiday,春节
2027-02-06,holiday,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-20,workday,调休上班
2027-05-01,holiday,劳动节
2027-05-02,holiday,劳动节
2027-05-03,holiday,劳动节
2027-05-04,holiday,劳动节
2027-05-05,holiday,劳动节
2027-09-15,holiday,中秋节
2027-10-01,holiday,国庆节
2027-10-02,holiday,国庆节
2027-10-03,holiday,国庆节
2027-10-04,holiday,国庆节
2027-10-05,holiday,国庆节
2027-10-06,holiday,国庆节
2027-10-07,holiday,国庆节
"""


def test_year_without_official_schedule_is_planned_provisionally(db, frozen_clock):
    frozen_clock(dt.datetime(2026, 12, 1, 9, 0))
    estate = build_estate(start=D(2027, 1, 1))

    services.generate_plan(estate.contract, on=D(2027, 1, 1))

    visits = InspectionVisit.objects.filter(contract=estate.contract)
    assert visits.count() == 19
    assert all(v.provisional and v.calendar_year == 2027 for v in visits)
    assert all(v.planned_date.weekday() < 5 for v in visits)
    pre = visits.filter(kind=VisitKind.PRE_HOLIDAY).order_by("planned_date")
    # planned from the festival dates: 2 working days before each, counted with the
    # statutory rules (SLA-7) — 除夕 (Fri 02-05) is a statutory day off since 2025
    assert [(v.holiday, v.planned_date) for v in pre] == [
        (Holiday.NEW_YEAR, D(2026, 12, 30)),  # Fri 2027-01-01 → Wed
        (Holiday.SPRING_FESTIVAL, D(2027, 2, 3)),  # Sat 02-06 (初一), 除夕 off → Wed
        (Holiday.MAY_DAY, D(2027, 4, 29)),  # Sat 05-01 → Thu
        (Holiday.MID_AUTUMN, D(2027, 9, 13)),  # Wed 09-15 (八月十五) → Mon
        (Holiday.NATIONAL_DAY, D(2027, 9, 29)),  # Fri 10-01 → Wed
    ]


def test_provisional_visits_are_settled_once_the_schedule_is_imported(db, frozen_clock):
    frozen_clock(dt.datetime(2026, 12, 1, 9, 0))
    estate = build_estate(start=D(2027, 1, 1))
    services.generate_plan(estate.contract, on=D(2027, 1, 1))
    may_first = InspectionVisit.objects.filter(kind=VisitKind.CORE).order_by("planned_date")[1]
    services.move_visit(
        may_first, new_date=D(2027, 5, 3), reason="客户要求节后第一天", actor=estate.planner
    )

    from weibao.testing import factories as f

    admin = f.UserFactory(is_superuser=True)  # importing the calendar is config.edit (PRM-1)
    calendar_services.import_year(2027, SCHEDULE_2027, actor=admin)
    source = next(s for s in due.sources() if s.name == "inspections.provisional")
    # the import itself settles them (calendars' year_imported signal); nothing left to poll
    settled = source.process(now=dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC), limit=500)

    assert settled == 0
    visits = InspectionVisit.objects.filter(contract=estate.contract)
    assert not visits.filter(provisional=True).exists()
    spring = visits.get(holiday=Holiday.SPRING_FESTIVAL)
    # off from Fri 02-05: Thu 02-04 (1st), Wed 02-03 (2nd)
    assert (spring.holiday_first_day_off, spring.planned_date) == (D(2027, 2, 5), D(2027, 2, 3))
    # the planner's date is kept even though it is now a day off
    may_first.refresh_from_db()
    assert may_first.planned_date == D(2027, 5, 3)
    assert source.process(now=dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC), limit=500) == 0


def test_planner_moves_a_visit_with_a_reason_recorded(estate, frozen_clock):
    from weibao.core.selectors import history_for

    frozen_clock(dt.datetime(2026, 3, 2, 9, 0))
    services.generate_plan(estate.contract, on=D(2026, 3, 2))
    visit = InspectionVisit.objects.get(site=estate.core, planned_date__month=4)

    move = services.move_visit(
        visit, new_date=D(2026, 5, 20), reason="客户机房改造", actor=estate.planner
    )

    visit.refresh_from_db()
    assert visit.planned_date == D(2026, 5, 20)
    assert (move.from_date, move.to_date, move.reason, move.actor) == (
        D(2026, 4, 23),
        D(2026, 5, 20),
        "客户机房改造",
        estate.planner,
    )
    assert any("客户机房改造" in entry.message for entry in history_for(visit))


@pytest.mark.parametrize(
    "new_date, reason, code",
    [
        (D(2026, 5, 20), "", "reason_required"),
        (D(2026, 3, 1), "提前", "date_in_past"),
        (D(2027, 1, 5), "推迟", "after_contract"),
    ],
)
def test_move_is_refused_without_reason_or_outside_the_allowed_dates(
    estate, frozen_clock, new_date, reason, code
):
    from weibao.core.errors import DomainError

    frozen_clock(dt.datetime(2026, 3, 2, 9, 0))
    services.generate_plan(estate.contract, on=D(2026, 3, 2))
    visit = InspectionVisit.objects.get(site=estate.core, planned_date__month=4)

    with pytest.raises(DomainError) as refused:
        services.move_visit(visit, new_date=new_date, reason=reason, actor=estate.planner)
    assert refused.value.code == code


def test_cancelled_visits_count_neither_planned_nor_done(estate):
    from weibao.inspections.selectors import visits_done_vs_planned

    services.generate_plan(estate.contract, on=D(2026, 1, 1))
    first_quarter = InspectionVisit.objects.filter(
        contract=estate.contract, planned_date__range=(D(2026, 1, 1), D(2026, 3, 31))
    )
    done = first_quarter.filter(kind=VisitKind.CORE).first()
    InspectionVisit.objects.filter(pk=done.pk).update(state=VisitState.DONE)
    services.cancel_visit(
        first_quarter.filter(kind=VisitKind.END_OFFICE).first(), reason="机房搬迁", actor=None
    )

    usage = visits_done_vs_planned(estate.contract, D(2026, 1, 1), D(2026, 3, 31))

    # Q1: core 01-23 and 03-09, 春节 02-13 (元旦's is on 2025-12-30), end office EO-01 on
    # 02-02 (the half year's three are spread over six months) — cancelled
    assert (usage["planned"], usage["done"]) == (3, 1)
    assert usage["by_kind"]["core"] == {"label": "核心机房季度巡检", "planned": 2, "done": 1}
