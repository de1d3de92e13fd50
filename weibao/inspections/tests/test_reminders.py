"""INS-2: the customer is told of each visit a configurable number of days ahead — once."""

import datetime as dt

import pytest

from weibao.core import due
from weibao.inspections import services
from weibao.inspections.choices import VisitKind
from weibao.inspections.models import InspectionVisit
from weibao.notifications.models import Notification

D = dt.date
pytestmark = pytest.mark.django_db


def _reminders():
    return next(s for s in due.sources() if s.name == "inspections.reminders")


def _at(day, hour=9, minute=0):
    return dt.datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=dt.timezone(dt.timedelta(hours=8))
    )


@pytest.fixture
def april_visit(estate, frozen_clock):
    frozen_clock(dt.datetime(2026, 4, 1, 8, 0))
    services.generate_plan(estate.contract, on=D(2026, 4, 1))
    return InspectionVisit.objects.get(
        site=estate.core, kind=VisitKind.CORE, planned_date=D(2026, 4, 23)
    )


def test_customer_is_notified_exactly_once_three_days_ahead(april_visit, estate, frozen_clock):
    source = _reminders()
    notices = Notification.objects.filter(kind="inspection_reminder", ref_id=str(april_visit.pk))

    source.process(now=_at(D(2026, 4, 20), 8, 59), limit=100)
    assert not notices.exists()

    frozen_clock(_at(D(2026, 4, 20), 9, 0))
    source.process(now=_at(D(2026, 4, 20), 9, 0), limit=100)
    source.process(now=_at(D(2026, 4, 20), 9, 1), limit=100)
    source.process(now=_at(D(2026, 4, 22), 9, 0), limit=100)

    assert [(n.recipient, n.channel) for n in notices] == [(estate.customer_user, "email")]
    notice = notices.get()
    assert "2026-04-23" in notice.subject and estate.core.name in notice.subject
    april_visit.refresh_from_db()
    assert april_visit.reminded_at is not None


def test_days_ahead_is_configurable(estate, frozen_clock):
    frozen_clock(dt.datetime(2026, 4, 1, 8, 0))
    settings = services.settings_for(estate.contract)
    settings.notify_days_ahead = 7
    settings.save()
    services.generate_plan(estate.contract, on=D(2026, 4, 1))
    visit = InspectionVisit.objects.get(site=estate.core, planned_date=D(2026, 4, 23))

    assert visit.remind_at == _at(D(2026, 4, 16))


def test_move_before_the_notice_shifts_it_and_after_the_notice_tells_the_customer(
    april_visit, estate, frozen_clock
):
    services.move_visit(
        april_visit, new_date=D(2026, 4, 28), reason="客户要求", actor=estate.planner
    )
    april_visit.refresh_from_db()
    assert april_visit.remind_at == _at(D(2026, 4, 25))

    frozen_clock(_at(D(2026, 4, 25)))
    _reminders().process(now=_at(D(2026, 4, 25)), limit=100)
    services.move_visit(
        april_visit, new_date=D(2026, 4, 29), reason="设备到货延迟", actor=estate.planner
    )
    _reminders().process(now=_at(D(2026, 4, 26)), limit=100)

    kinds = list(
        Notification.objects.filter(ref_id=str(april_visit.pk)).values_list("kind", flat=True)
    )
    assert sorted(kinds) == ["inspection_moved", "inspection_reminder"]
    moved = Notification.objects.get(kind="inspection_moved")
    assert "2026-04-29" in moved.subject and "设备到货延迟" in moved.body
