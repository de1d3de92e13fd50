"""RMA-1, 2, 5, 6 and EXC-2: refusals, the route, the receipt feedback form, a failed trial's
re-registration with a free loaner, unrepairable parts, billable repairs."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from weibao.core.errors import DomainError
from weibao.core.selectors import history_for
from weibao.notifications.models import Notification
from weibao.repairs import services
from weibao.repairs.flow import MoveRefused
from weibao.repairs.models import Repair
from weibao.spares.choices import LoanKind
from weibao.testing import factories as f

SH = ZoneInfo("Asia/Shanghai")
D = dt.date


@pytest.fixture
def repair(hw, frozen_clock):
    frozen_clock(dt.datetime(2026, 3, 2, 10, 0, tzinfo=SH))
    return services.register_repair(
        asset=hw.asset,
        fault_description="主控板无法启动",
        received_on=D(2026, 3, 2),
        carrier="顺丰",
        tracking_number="SF100",
        actor=hw.keeper,
    )


def _back(repair, frozen_clock, day):
    frozen_clock(dt.datetime(day.year, day.month, day.day, 17, 0, tzinfo=SH))
    services.move(repair, "send_to_center")
    services.move(repair, "repaired")
    return services.record_return(repair, returned_on=day)


def test_customer_bought_supporting_equipment_is_refused_with_a_reason(hw, frozen_clock):
    frozen_clock(dt.datetime(2026, 3, 2, 10, 0, tzinfo=SH))
    amplifier = f.AssetFactory(site=hw.site, customer_bought_supporting=True, name="功放")
    with pytest.raises(DomainError) as error:
        services.register_repair(
            asset=amplifier, fault_description="无声", received_on=D(2026, 3, 2)
        )
    assert error.value.code == "customer_bought_supporting"
    assert "客户自行购买的配套设备" in error.value.message
    assert not Repair.objects.exists()


def test_registration_by_serial_number_finds_the_asset(hw, frozen_clock):
    frozen_clock(dt.datetime(2026, 3, 2, 10, 0, tzinfo=SH))
    repair = services.register_repair(
        serial_number=hw.asset.serial_number.lower(),
        fault_description="死机",
        received_on=D(2026, 3, 2),
        repair_origin="foreign",
    )
    assert (repair.asset, repair.customer, repair.site) == (hw.asset, hw.customer, hw.site)
    assert (repair.part_type, repair.working_days) == (hw.board, 60)


def test_unknown_serial_without_customer_is_refused(hw, frozen_clock):
    frozen_clock(dt.datetime(2026, 3, 2, 10, 0, tzinfo=SH))
    with pytest.raises(DomainError) as error:
        services.register_repair(
            serial_number="NOPE", fault_description="x", received_on=D(2026, 3, 2)
        )
    assert error.value.field == "customer"


def test_inbound_shipping_is_the_customers_and_hops_are_recorded(hw, repair, frozen_clock):
    [inbound] = repair.hops.all()
    frozen_clock(dt.datetime(2026, 3, 5, 10, 0, tzinfo=SH))  # the legs below have happened
    assert (inbound.paid_by, inbound.tracking_number, inbound.arrived_on) == (
        "customer",
        "SF100",
        D(2026, 3, 2),
    )
    hop = services.record_hop(
        repair,
        leg="office_to_center",
        shipped_on=D(2026, 3, 3),
        carrier="EMS",
        tracking_number="EMS9",
    )
    assert hop.paid_by == "provider"
    with pytest.raises(DomainError):
        services.record_hop(
            repair, leg="center_to_office", shipped_on=D(2026, 3, 5), arrived_on=D(2026, 3, 4)
        )


def test_feedback_form_is_flagged_when_not_the_same_day(hw, repair, frozen_clock):
    back = _back(repair, frozen_clock, D(2026, 3, 20))
    same_day = services.record_feedback(back, on=D(2026, 3, 20), by="孔工")
    assert not same_day.feedback_late
    frozen_clock(dt.datetime(2026, 3, 23, 10, 0, tzinfo=SH))  # a form dated today, not ahead
    later = services.record_feedback(back, on=D(2026, 3, 23), by="孔工", note="补发传真")
    assert later.feedback_late


def test_failed_trial_reregisters_with_provider_paid_shipping_and_a_free_loaner(
    hw, repair, frozen_clock
):
    [spare] = hw.stock(hw.board, "MB-0009")
    back = _back(repair, frozen_clock, D(2026, 3, 20))
    assert back.trial_ends_on == D(2026, 4, 20)
    frozen_clock(dt.datetime(2026, 4, 10, 9, 0, tzinfo=SH))

    again = services.fail_trial(back, reason="运行两周后再次死机", actor=hw.keeper)

    back.refresh_from_db()
    assert (back.status, back.trial_result) == ("trial_failed", "failed")
    assert again.previous == back and again.status == "received"
    assert again.provider_pays_shipping
    [inbound] = again.hops.all()
    assert (inbound.paid_by, inbound.insured) == ("provider", True)
    # 2026-04-10 (Fri) + 30 working days; the May Day holiday 05-01..05 and Sat 05-09 调休:
    # 04-13..17 (5), 04-20..24 (10), 04-27..30 (14), 05-06..08 (17), Sat 05-09 (18),
    # 05-11..15 (23), 05-18..22 (28), 05-25, 05-26 (30).
    assert again.due_date == D(2026, 5, 26)
    assert again.loaner.kind == LoanKind.TRIAL_FAILED and again.loaner.part == spare
    assert Notification.objects.filter(kind="repair_loaner", recipient=hw.keeper).exists()
    [registered] = [e for e in history_for(again) if e.kind == "repair.registered"]
    assert back.number in registered.message  # the copy of the first repair order


def test_failed_trial_after_it_closed_is_refused(hw, repair, frozen_clock):
    back = _back(repair, frozen_clock, D(2026, 3, 20))
    services.move(back, "pass_trial")
    with pytest.raises(MoveRefused):
        services.fail_trial(back, reason="晚了")


def test_unrepairable_part_goes_back_marked_and_has_no_trial(hw, repair, frozen_clock):
    services.move(repair, "unrepairable", note="芯片烧毁")
    with pytest.raises(MoveRefused):
        services.move(repair, "repaired")
    back = services.record_return(repair, returned_on=D(2026, 3, 2))
    assert (back.status, back.outcome, back.trial_ends_on) == (
        "returned_unrepaired",
        "unrepairable",
        None,
    )


def _people(hw):
    from weibao.accounts.choices import Role

    manager = f.UserFactory(provider=hw.provider, roles=[Role.MAINTENANCE_MANAGER])
    leader = f.CustomerUserFactory(customer=hw.customer, roles=[Role.CUSTOMER_LEADER])
    return manager, leader


def test_a_billable_repair_goes_through_the_statement_and_the_customers_approval(hw, repair):
    """EXC-3: the part swapped in an emergency is repaired at the customer's cost — the same
    cause list, statement and approval as a ticket (EXC-1/2)."""
    from weibao.billing import selectors as billing_selectors
    from weibao.billing import services as billing

    manager, leader = _people(hw)
    with pytest.raises(DomainError) as refused:  # in scope: nothing to bill
        billing.open_statement(repair, actor=hw.keeper)
    assert refused.value.code == "in_scope"

    services.mark_billable(
        repair, causes=["emergency_swap_repair"], evidence="L1 抢修时换下的主控板",
        actor=hw.keeper,
    )  # fmt: skip
    repair = Repair.objects.with_billable().get(pk=repair.pk)
    statement = repair.statements.get()
    assert repair.billable and statement.state == "draft"
    assert [c.code for c in statement.exclusion.causes.all()] == ["emergency_swap_repair"]
    assert (statement.customer, statement.asset) == (hw.customer, hw.asset)
    billing.add_line(statement, kind="labour", description="维修人工 3 小时", quantity=3,
                     unit_price="150", actor=hw.keeper)  # fmt: skip
    billing.add_line(statement, kind="shipping", description="返修运费及保险", quantity=1,
                     unit_price="45.50", actor=hw.keeper)  # fmt: skip
    assert statement.total == Decimal("495.50")
    with pytest.raises(DomainError) as refused:  # billed now: the marking stays
        services.clear_billable(repair, reason="误判", actor=hw.keeper)
    assert refused.value.code == "has_lines"

    billing.send_statement(statement, actor=manager)
    approved = billing.approve_statement(statement, actor=leader, note="同意付费")
    assert approved.state == "approved" and approved.total == Decimal("495.50")
    assert list(billing_selectors.statements_about(repair, leader)) == [statement]
    assert any("紧急抢修中更换部件的维修" in e.message for e in history_for(repair))

    stranger = f.CustomerUserFactory(roles=["customer_leader"])  # another organisation
    assert not billing_selectors.statements_about(repair, stranger).exists()
    assert not Repair.objects.visible_to(stranger).filter(pk=repair.pk).exists()


def test_a_mistaken_marking_is_undone_while_the_statement_is_an_empty_draft(hw, repair):
    services.mark_billable(repair, causes=["negligence"], evidence="误操作", actor=hw.keeper)
    number = repair.statements.get().number
    services.clear_billable(repair, reason="误判，属正常老化", actor=hw.keeper)
    repair = Repair.objects.with_billable().get(pk=repair.pk)
    assert not repair.billable and not repair.statements.exists()
    assert any(number in e.message and "正常老化" in e.message for e in history_for(repair))
    assert not Repair.objects.billable().exists()
