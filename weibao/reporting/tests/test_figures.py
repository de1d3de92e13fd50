"""ANA-1: the report's figures equal the numbers worked out by hand for the quarter of
`conftest.py` (see its table)."""

import pytest

from weibao.core import clock
from weibao.reporting.periods import period_at
from weibao.reporting.sections import Scope, compute_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(quarter):
    import datetime as dt

    period = period_at(quarter.contract, "quarter", dt.date(2026, 2, 1))
    return compute_figures(Scope(contract=quarter.contract, period=period, now=clock.now()))


def _counts(rows):
    return {r["key"]: r["count"] for r in rows}


def test_overview_counts_the_quarter_only(figures):
    assert figures["overview"] == {
        "tickets": 6, "faults": 5, "level_1": 1, "resolved": 5, "unresolved": 1,
        "closed": 2, "not_covered": 0,
    }  # fmt: skip
    assert figures["meta"]["start"] == "2026-01-01"
    assert figures["meta"]["end"] == "2026-03-31"
    assert figures["meta"]["period_closed"] is True


def test_faults_by_level_type_site_category_asset_and_cause(figures, quarter):
    faults = figures["faults"]
    assert _counts(faults["by_level"]) == {"L1": 1, "L2": 2, "L3": 2}
    assert _counts(faults["by_type"]) == {"fault": 5, "consultation": 1, "other": 0}
    assert [(r["label"], r["count"]) for r in faults["by_site"]] == [
        ("江宁端局", 4),
        ("监控中心", 1),
    ]
    assert _counts(faults["by_category"]) == {"摄像机": 4, "FSU/采集器": 1}
    assert [(r["label"], r["count"]) for r in faults["by_asset"]] == [
        ("江宁 2 号摄像机", 4), ("监控中心 FSU", 1),
    ]  # fmt: skip
    assert _counts(faults["by_cause"]) == {
        "设备故障": 2, "传输线路": 1, "使用、环境或维护不当": 1, "未归类": 1,
    }  # fmt: skip
    assert [r.get("exclusion") for r in faults["by_cause"]][:3] == [False, False, True]


def test_sla_attainment_per_clock_kind_and_the_breaches(figures, quarter):
    sla = figures["sla"]
    kinds = {k["kind"]: (k["total"], k["met"], k["breached"], k["running"], k["attainment"])
             for k in sla["kinds"]}  # fmt: skip
    assert kinds == {
        "phone_response": (6, 4, 2, 0, 66.7),
        "onsite_response": (1, 1, 0, 0, 100.0),
        "onsite_arrival": (1, 0, 1, 0, 0.0),
    }
    assert sla["breach_total"] == 3
    numbers = {t.number: name for name, t in quarter.tickets.items()}
    breaches = [(numbers[b["ticket"]], b["kind"], b["late_minutes"]) for b in sla["breaches"]]
    assert breaches == [
        ("T1", "到达现场", 60),
        ("T3", "电话支持响应", 60),
        ("T4", "电话支持响应", None),
    ]


def test_mean_time_to_repair_overall_and_per_level(figures):
    mttr = figures["mttr"]
    assert (mttr["count"], mttr["mean_hours"], mttr["longest_hours"]) == (4, 6.5, 12.0)
    by_level = {
        r["key"]: (r["count"], r["mean_hours"], r["longest_hours"]) for r in mttr["by_level"]
    }
    assert by_level == {"L1": (1, 8.0, 8.0), "L2": (2, 8.0, 12.0), "L3": (1, 2.0, 2.0)}


def test_recurring_faults_at_the_default_threshold_of_three(figures):
    recurring = figures["recurring"]
    assert recurring["threshold"] == 3
    assert [(r["label"], r["count"]) for r in recurring["assets"]] == [("江宁 2 号摄像机", 4)]
    assert [(r["label"], r["count"]) for r in recurring["sites"]] == [("江宁端局", 4)]


def test_recurring_threshold_is_configurable(quarter):
    import datetime as dt

    period = period_at(quarter.contract, "quarter", dt.date(2026, 2, 1))
    scope = Scope(contract=quarter.contract, period=period, now=clock.now(), recurring_threshold=5)
    assert compute_figures(scope)["recurring"]["asset_total"] == 0


def test_satisfaction_and_complaints(figures):
    satisfaction = figures["feedback"]["satisfaction"]
    assert (satisfaction["callbacks"], satisfaction["satisfied"], satisfaction["satisfied_rate"],
            satisfaction["mean_score"]) == (3, 3, 100.0, 4.0)  # fmt: skip
    assert _counts(satisfaction["by_score"]) == {5: 1, 4: 1, 3: 1, 2: 0, 1: 0}
    complaints = figures["feedback"]["complaints"]
    assert complaints["total"] == 1
    assert complaints["rows"][0]["text"] == "二级故障处理太慢"


def test_repairs_and_quota_use(figures):
    hardware = figures["hardware"]
    assert hardware["repairs"]["total"] == 1
    assert hardware["loans"]["total"] == 0
    assert [(q["entitlement"], q["used"], q["quota"]) for q in hardware["quota"]] == [
        ("备件服务", 1, 10.0)
    ]


def test_inspections_section_reads_the_inspections_app(figures):
    assert figures["inspections"]["planned"] == 0
    assert figures["alarms"] is None  # the customer has no alarm source


def test_a_month_of_the_same_contract(quarter):
    import datetime as dt

    period = period_at(quarter.contract, "month", dt.date(2026, 1, 15))
    figures = compute_figures(Scope(contract=quarter.contract, period=period, now=clock.now()))
    assert figures["overview"]["tickets"] == 2  # T1, T2
    assert figures["mttr"]["mean_hours"] == 6.0
