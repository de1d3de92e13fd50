"""表 11–16 and the distance tiers as parametrised tables against the pure engine."""

import datetime as dt

import pytest

from weibao.contracts.policy import Policy, default_policy
from weibao.sla import engine

H = 60
POLICY = default_policy()
FOUR = default_policy(level_scheme=4)


@pytest.mark.parametrize(
    ("level", "minutes"),
    [("L1", 30), ("L2", 2 * H), ("L3", 2 * H), ("consultation", 2 * H), ("other", 48 * H)],
)
def test_table_11_phone_response(level, minutes):
    assert engine.budget_minutes(POLICY, engine.PHONE_RESPONSE, level) == minutes


@pytest.mark.parametrize(("level", "minutes"), [("L1", 30), ("L2", 2 * H), ("L3", 4 * H)])
def test_table_12_remote_response(level, minutes):
    assert engine.budget_minutes(POLICY, engine.REMOTE_RESPONSE, level) == minutes


@pytest.mark.parametrize(("level", "minutes"), [("L1", 2 * H), ("L2", 12 * H), ("L3", 24 * H)])
def test_table_13_onsite_response(level, minutes):
    assert engine.budget_minutes(POLICY, engine.ONSITE_RESPONSE, level) == minutes


@pytest.mark.parametrize(
    ("km", "minutes"),
    [
        (0, 5 * H), (49.9, 5 * H), (50, 5 * H),
        (50.1, 12 * H), (100, 12 * H),
        (100.1, 24 * H), (400, 24 * H),
        (400.1, 3 * 24 * H), (2500, 3 * 24 * H),
    ],
)  # fmt: skip
def test_table_14_arrival_by_distance(km, minutes):
    assert engine.distance_minutes(POLICY, km) == minutes


@pytest.mark.parametrize(
    ("rule", "level", "km", "minutes"),
    [
        ("later", "L1", 30, 5 * H),  # max(2 h, 5 h)
        ("later", "L3", 30, 24 * H),  # max(24 h, 5 h)
        ("later", "L2", 500, 72 * H),  # max(12 h, 3 d)
        ("earlier", "L1", 30, 2 * H),
        ("earlier", "L3", 200, 24 * H),
        ("sum", "L1", 80, 14 * H),  # 2 h + 12 h
        ("distance_only", "L3", 80, 12 * H),
        ("later", "L2", None, 12 * H),  # no distance known: 表 13 alone
    ],
)
def test_arrival_combines_tables_13_and_14_by_the_contract_rule(rule, level, km, minutes):
    policy = Policy(**{**POLICY.__dict__, "arrival_rule": rule})
    assert engine.budget_minutes(policy, engine.ONSITE_ARRIVAL, level, km) == minutes


@pytest.mark.parametrize(
    ("level", "steps"),
    [
        ("L1", [(15, "field_engineer"), (30, "emergency_team"), (45, "account_manager"),
                (60, "service_center_gm")]),
        ("L2", [(15, "field_engineer"), (45, "emergency_team"), (60, "account_manager")]),
        ("L3", [(15, "field_engineer"), (60, "emergency_team")]),
        ("L4", [(15, "field_engineer")]),
    ],
)  # fmt: skip
def test_table_16_ladder(level, steps):
    assert [(s.after_minutes, s.target) for s in engine.ladder(FOUR, level)] == steps


@pytest.mark.parametrize(
    ("code", "owner", "minutes"),
    [
        ("notify_leadership", "support_agent", 15),
        ("dispatch_engineer", "maintenance_manager", 0),
        ("form_emergency_team", "service_office_manager", 30),
        ("expert_remote", "subcenter_expert", 60),
        ("form_expert_team", "center_head", 120),
    ],
)
def test_l1_emergency_actions_of_section_1_1_7_2(code, owner, minutes):
    spec = next(a for a in engine.EMERGENCY_ACTIONS if a.code == code)
    assert (spec.owner_role, spec.after_minutes, spec.phase) == (owner, minutes, "emergency")


def test_aftercare_tasks_have_no_deadline():
    aftercare = [a.code for a in engine.EMERGENCY_ACTIONS if a.phase == "aftercare"]
    assert aftercare == [
        "onsite_observation", "signed_service_report", "root_cause_analysis",
        "leadership_debrief",
    ]  # fmt: skip


def test_paused_time_pushes_the_deadline_back():
    start = dt.datetime(2026, 3, 1, 3, 0, tzinfo=dt.UTC)
    assert engine.due_at(start, 30, dt.timedelta(minutes=10)) == start + dt.timedelta(minutes=40)


def test_no_remote_target_for_consultations():
    assert engine.budget_minutes(POLICY, engine.REMOTE_RESPONSE, "consultation") is None
