"""A contract carries its SLA policy as data: the defaults of spec §5, editable, validated."""

import pytest

from weibao.contracts.models import ContractPolicy
from weibao.contracts.policy import DistanceTier, Policy, default_policy
from weibao.contracts.services import validate_policy, write_policy
from weibao.core.errors import DomainError
from weibao.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy() -> Policy:
    contract = f.make_contract(f.CustomerFactory())
    return ContractPolicy.objects.get(contract=contract).snapshot()


@pytest.mark.parametrize(
    ("clock", "level", "minutes"),
    [
        # 表 11 phone support
        ("phone_response", "L1", 30),
        ("phone_response", "L2", 120),
        ("phone_response", "L3", 120),
        ("phone_response", "consultation", 120),
        ("phone_response", "other", 48 * 60),
        # 表 12 remote support
        ("remote_response", "L1", 30),
        ("remote_response", "L2", 120),
        ("remote_response", "L3", 240),
        # 表 13 on-site response
        ("onsite_response", "L1", 120),
        ("onsite_response", "L2", 12 * 60),
        ("onsite_response", "L3", 24 * 60),
    ],
)
def test_default_response_tables_11_to_13(policy, clock, level, minutes):
    assert policy.response[clock][level] == minutes


def test_default_distance_tiers_of_table_14(policy):
    assert policy.distance_tiers == (
        DistanceTier(50, 5 * 60),
        DistanceTier(100, 12 * 60),
        DistanceTier(400, 24 * 60),
        DistanceTier(None, 3 * 24 * 60),
    )
    assert policy.arrival_rule == "later"


@pytest.mark.parametrize(
    ("level", "ladder"),
    [
        ("L1", [(15, "field_engineer"), (30, "emergency_team"), (45, "account_manager"),
                (60, "service_center_gm")]),
        ("L2", [(15, "field_engineer"), (45, "emergency_team"), (60, "account_manager")]),
        ("L3", [(15, "field_engineer"), (60, "emergency_team")]),
        ("L4", [(15, "field_engineer")]),
    ],
)  # fmt: skip
def test_default_escalation_ladder_of_table_16(policy, level, ladder):
    steps = [(s.after_minutes, s.target) for s in policy.escalation if s.level == level]
    assert steps == ladder


def test_default_terms_of_sections_8_to_12(policy):
    assert policy.terms["repair_domestic_working_days"] == 30
    assert policy.terms["repair_foreign_working_days"] == 60
    assert policy.terms["loan_max_months"] == 3
    assert policy.terms["loan_total_max_months"] == 6
    assert policy.terms["training_max_minutes"] == 120


def test_snapshot_survives_a_json_round_trip(policy):
    assert Policy.from_dict(policy.to_dict()) == policy


def test_editing_a_policy_changes_only_that_contract(policy):
    customer = f.CustomerFactory()
    one, other = f.make_contract(customer, number="A-1"), f.make_contract(customer, number="A-2")
    changed = default_policy()
    changed.response["phone_response"]["L1"] = 20
    write_policy(one, changed)
    assert one.policy.snapshot().response["phone_response"]["L1"] == 20
    assert other.policy.snapshot().response["phone_response"]["L1"] == 30


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda p: p.response["phone_response"].update(L1=-5), "response.phone_response.L1"),
        (lambda p: p.response["onsite_response"].update(L2=0), "response.onsite_response.L2"),
        (lambda p: p.response["phone_response"].pop("L2"), "response.phone_response.L2"),
        (lambda p: p.terms.__setitem__("loan_max_months", None), "terms.loan_max_months"),
    ],
)  # fmt: skip
def test_negative_zero_or_missing_duration_is_refused_with_its_field(mutate, field):
    policy = default_policy()
    mutate(policy)
    with pytest.raises(DomainError) as error:
        validate_policy(policy)
    assert error.value.field == field


def test_distance_tiers_must_end_open_and_increase():
    policy = default_policy()
    bad = Policy(**{**policy.__dict__, "distance_tiers": (DistanceTier(100, 60),)})
    with pytest.raises(DomainError) as error:
        validate_policy(bad)
    assert error.value.field == "distance_tiers"


def test_four_level_scheme_needs_an_l4_phone_target():
    policy = default_policy(level_scheme=4)
    validate_policy(policy)
    policy.response["phone_response"].pop("L4")
    with pytest.raises(DomainError):
        validate_policy(policy)
