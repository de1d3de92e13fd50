"""OTH-3: third-party coverage reminds before expiry (60/30/7 days, once each) through the
notification outbox; a renewal starts a new period with its own reminders."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from weibao.core import clock
from weibao.core.due import sources
from weibao.library import services
from weibao.library.models import CoverageReminder
from weibao.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.library.tests.urls")]
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def account_manager(world):
    """The world's account manager (of customer A), who hears of A's expiries."""
    world.account_manager.email = "am@example.cn"
    world.account_manager.save(update_fields=["email"])
    return world.account_manager


def _register(world, expiry=dt.date(2026, 9, 30), days="60,30,7"):
    return services.register_coverage(
        customer=world.customer_a, vendor="华为技术", covers="核心交换机、服务器原厂保修",
        start_date=dt.date(2025, 10, 1), expiry_date=expiry, contract_number="HW-2025-88",
        reminder_days=days, actor=world.provider_user,
    )  # fmt: skip


def _tick():
    source = next(s for s in sources() if s.name == "library.coverage_reminders")
    return source.process(now=clock.now(), limit=100)


def test_reminders_are_planned_at_nine_on_60_30_and_7_days_before(world, frozen_clock):
    frozen_clock(dt.datetime(2026, 6, 1, 8, 0))
    coverage = _register(world)
    due = {r.days_before: r.due_at for r in CoverageReminder.objects.all()}
    assert due == {
        60: dt.datetime(2026, 8, 1, 9, 0, tzinfo=SH),
        30: dt.datetime(2026, 8, 31, 9, 0, tzinfo=SH),
        7: dt.datetime(2026, 9, 23, 9, 0, tzinfo=SH),
    }
    assert coverage.current_period.expiry_date == dt.date(2026, 9, 30)


def test_each_reminder_goes_out_once_to_account_manager_and_customer(
    world, frozen_clock, account_manager
):
    world.user_a.email = "duty@a.example.cn"
    world.user_a.save()
    frozen_clock(dt.datetime(2026, 6, 1, 8, 0))
    _register(world)

    frozen_clock(dt.datetime(2026, 8, 1, 8, 59))
    assert _tick() == 0
    frozen_clock(dt.datetime(2026, 8, 1, 9, 0))
    assert _tick() == 1
    assert _tick() == 0  # the same reminder is not sent twice
    sent = Notification.objects.filter(kind="coverage_expiry")
    assert sorted(sent.values_list("address", flat=True)) == [
        "am@example.cn",
        "duty@a.example.cn",
    ]
    assert "剩余 60 天" in sent.first().subject

    frozen_clock(dt.datetime(2026, 9, 24, 10, 0))  # a late tick sends both remaining ones
    assert _tick() == 2
    assert CoverageReminder.objects.filter(sent_at__isnull=True).count() == 0
    assert Notification.objects.filter(kind="coverage_expiry").count() == 6


def test_coverage_recorded_late_gets_one_reminder_not_a_burst(world, frozen_clock):
    frozen_clock(dt.datetime(2026, 9, 10, 15, 0))  # 20 days before expiry
    _register(world)
    reminders = list(CoverageReminder.objects.order_by("days_before"))
    assert [(r.days_before, r.due_at) for r in reminders] == [
        (7, dt.datetime(2026, 9, 23, 9, 0, tzinfo=SH)),
        (30, dt.datetime(2026, 9, 10, 15, 0, tzinfo=SH)),
    ]


def test_renewal_cancels_old_reminders_and_plans_the_new_period(world, frozen_clock):
    frozen_clock(dt.datetime(2026, 8, 5, 10, 0))
    coverage = _register(world)
    assert _tick() == 1  # the 60-day reminder was due on 1 August
    period = services.renew_coverage(
        coverage, start_date=dt.date(2026, 10, 1), expiry_date=dt.date(2027, 9, 30),
        contract_number="HW-2026-12", actor=world.provider_user,
    )  # fmt: skip
    coverage.refresh_from_db()
    assert coverage.current_period == period
    old = CoverageReminder.objects.exclude(period=period).order_by("days_before")
    assert [(r.days_before, r.sent_at is not None, r.cancelled_at is not None) for r in old] == [
        (7, False, True), (30, False, True), (60, True, False),
    ]  # fmt: skip
    assert sorted(period.reminders.values_list("days_before", flat=True)) == [7, 30, 60]
    frozen_clock(dt.datetime(2026, 9, 30, 12, 0))
    assert _tick() == 0


def test_renewal_must_extend_the_coverage(world, frozen_clock):
    frozen_clock(dt.datetime(2026, 6, 1, 8, 0))
    coverage = _register(world)
    from weibao.core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        services.renew_coverage(
            coverage, start_date=dt.date(2026, 1, 1), expiry_date=dt.date(2026, 9, 1),
            actor=world.provider_user,
        )  # fmt: skip
    assert refused.value.code == "renewal_not_later"


def test_changing_reminder_days_replans_unsent_reminders(world, frozen_clock):
    frozen_clock(dt.datetime(2026, 6, 1, 8, 0))
    coverage = _register(world)
    services.change_reminder_days(coverage, reminder_days="90, 14", actor=world.provider_user)
    assert sorted(CoverageReminder.objects.values_list("days_before", flat=True)) == [14, 90]
    # 90 days before 30 Sep was 2 July: still ahead on 1 June
    assert CoverageReminder.objects.get(days_before=90).due_at.date() == dt.date(2026, 7, 2)


def test_provider_renews_from_the_web_and_customer_cannot(client, world, frozen_clock):
    frozen_clock(dt.datetime(2026, 6, 1, 8, 0))
    coverage = _register(world)
    client.force_login(world.user_a)
    page = client.get(f"/library/coverages/{coverage.pk}/").content.decode()
    assert "华为技术" in page and "renew-form" not in page
    assert client.post(f"/library/coverages/{coverage.pk}/renew/", {}).status_code == 403
    client.force_login(world.user_b)
    assert client.get(f"/library/coverages/{coverage.pk}/").status_code == 404
    client.force_login(world.provider_user)
    client.post(
        f"/library/coverages/{coverage.pk}/renew/",
        {"start_date": "2026-10-01", "expiry_date": "2027-09-30", "contract_number": "N-2"},
    )
    assert coverage.periods.count() == 2
