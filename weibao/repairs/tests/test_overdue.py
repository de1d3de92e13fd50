"""RMA-4: when the due date passes without the part back, a free loaner is lent from the
provider's pool and the spare keeper is told — by the one scheduler, exactly once."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from weibao.core import due
from weibao.notifications.models import Notification
from weibao.repairs import services
from weibao.repairs.models import Repair
from weibao.repairs.tasks import close_finished_trials, lend_for_overdue_repairs
from weibao.spares.choices import LoanKind, LoanStatus, PartState
from weibao.spares.models import Loan
from weibao.spares.selectors import on_hand
from weibao.spares.tasks import remind_loan_ends

SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


@pytest.fixture
def late_repair(hw, frozen_clock):
    # Received Tue 2026-09-15; 30 working days across Mid-Autumn and National Day → 11-02.
    frozen_clock(at(2026, 9, 15, 10, 0))
    repair = services.register_repair(
        asset=hw.asset,
        fault_description="主控板反复重启",
        received_on=dt.date(2026, 9, 15),
        actor=hw.keeper,
    )
    assert repair.due_date == dt.date(2026, 11, 2)
    return repair


def run(process, when):
    return due.drain(process, now=when, batch=100)


def test_rma_late_lends_spare_automatically_and_tells_the_keeper(hw, late_repair):
    [spare] = hw.stock(hw.board, "MB-0001")

    assert run(lend_for_overdue_repairs, at(2026, 11, 2, 23, 59)) == 0  # due day: still in time
    assert run(lend_for_overdue_repairs, at(2026, 11, 3, 0, 1)) == 1  # due + 1 day

    repair = Repair.objects.get(pk=late_repair.pk)
    loan = repair.loaner
    assert loan.kind == LoanKind.REPAIR_OVERDUE and loan.is_free and not loan.billable
    assert (loan.part, loan.status, loan.customer) == (spare, LoanStatus.OUT, hw.customer)
    spare.refresh_from_db()
    assert (spare.state, spare.owner, spare.pool) == (PartState.ON_LOAN, "provider", hw.pool)
    assert on_hand(part_type_id=hw.board.pk, location_id=hw.shelf.pk) == 0
    told = Notification.objects.filter(kind="repair_loaner", recipient=hw.keeper)
    assert told.count() == 1
    assert "MB-0001" in told.get().body and repair.number in told.get().subject


def test_overdue_runs_exactly_once(hw, late_repair):
    hw.stock(hw.board, "MB-0001", "MB-0002")
    when = at(2026, 11, 3, 9, 0)
    assert run(lend_for_overdue_repairs, when) == 1
    assert run(lend_for_overdue_repairs, when) == 0
    assert run(lend_for_overdue_repairs, when + dt.timedelta(days=5)) == 0
    assert Loan.objects.count() == 1
    assert Notification.objects.filter(kind="repair_loaner").count() == 1


def test_no_spare_in_stock_still_tells_the_keeper_once(hw, late_repair):
    run(lend_for_overdue_repairs, at(2026, 11, 3, 9, 0))
    run(lend_for_overdue_repairs, at(2026, 11, 4, 9, 0))
    repair = Repair.objects.get(pk=late_repair.pk)
    assert repair.overdue_at is not None and repair.loaner is None
    [notice] = Notification.objects.filter(kind="repair_loaner")
    assert "没有可借" in notice.body


def test_a_keeper_who_reads_english_is_told_in_english(hw, late_repair):
    hw.keeper.language = "en"
    hw.keeper.save(update_fields=["language"])
    run(lend_for_overdue_repairs, at(2026, 11, 3, 9, 0))
    [notice] = Notification.objects.filter(kind="repair_loaner", recipient=hw.keeper)
    assert notice.subject.startswith("[Free loan]") and "overdue" in notice.subject.lower()
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in notice.subject)


def test_repair_back_in_time_lends_nothing(hw, late_repair, frozen_clock):
    hw.stock(hw.board, "MB-0001")
    frozen_clock(at(2026, 10, 30, 15, 0))
    services.move(late_repair, "repaired", actor=hw.keeper)
    services.record_return(late_repair, returned_on=dt.date(2026, 10, 30), actor=hw.keeper)
    assert run(lend_for_overdue_repairs, at(2026, 11, 10, 9, 0)) == 0
    assert not Loan.objects.exists()


def test_part_back_after_the_loaner_makes_the_loaner_due(hw, late_repair, frozen_clock):
    hw.stock(hw.board, "MB-0001")
    run(lend_for_overdue_repairs, at(2026, 11, 3, 9, 0))
    frozen_clock(at(2026, 11, 9, 16, 0))
    services.move(late_repair, "repaired", actor=hw.keeper)
    repair = services.record_return(late_repair, returned_on=dt.date(2026, 11, 9))
    assert repair.status == "in_trial" and repair.returned_late
    assert repair.trial_ends_on == dt.date(2026, 12, 9)
    repair.loaner.refresh_from_db()
    assert repair.loaner.end_date == dt.date(2026, 11, 9)

    assert run(remind_loan_ends, at(2026, 11, 9, 18, 0)) == 1
    reminder = Notification.objects.filter(kind="loan_due", recipient=hw.customer_user).get()
    assert "请归还免费借用的备件" in reminder.body


def test_trial_passes_the_day_after_it_ends(hw, late_repair, frozen_clock):
    frozen_clock(at(2026, 10, 20, 9, 0))
    services.move(late_repair, "repaired")
    repair = services.record_return(late_repair, returned_on=dt.date(2026, 10, 20))
    assert repair.trial_ends_on == dt.date(2026, 11, 20)
    assert run(close_finished_trials, at(2026, 11, 20, 23, 0)) == 0
    assert run(close_finished_trials, at(2026, 11, 21, 0, 5)) == 1
    repair.refresh_from_db()
    assert (repair.status, repair.trial_result) == ("closed", "passed")


def test_tick_runs_the_registered_sources(hw, late_repair, frozen_clock):
    from weibao.escalations import runner

    assert {"repairs.overdue", "repairs.trial_end"} <= {s.name for s in due.sources()}
    hw.stock(hw.board, "MB-0001")
    frozen_clock(at(2026, 11, 3, 9, 0))
    runner.tick(deliver=False)
    assert Repair.objects.get(pk=late_repair.pk).loaner is not None
