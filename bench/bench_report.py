"""Benchmark of the operation analysis report (ANA-1/2): a quarterly report for one contract
with 100,000 tickets in the quarter, their SLA clocks, callbacks, classification criteria,
repairs and inspection visits, on PostgreSQL.

Run from the project root: `.venv/bin/python bench/bench_report.py [--tickets 100000]`.

Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth); without it, prints a
"skipped" line and exits 0. Works in its own scratch database (`weibao_bench_report`, dropped
and recreated at the start, dropped at the end unless --keep). The data is written with COPY
(tickets, clocks, callbacks, criteria links) and bulk_create (sites, assets, repairs, visits).

The report is then generated in a fresh child process, so its peak memory (ru_maxrss) is that
of generation alone (Django, matplotlib, WeasyPrint included), not of the data loading:

* warmup_s — loading WeasyPrint, matplotlib and the CJK font once (a one-line PDF and chart):
  a web or worker process that generates reports has done this already, so it is reported
  apart and not counted in the target;
* figures_s — `reporting.sections.compute_figures` (every section's SQL aggregates);
* pdf_s — the charts (matplotlib) and the PDF (WeasyPrint) from those figures;
* total_s = figures_s + pdf_s, the target (≤ 10 s); peak_mb the target (≤ 500 MB);
* docx_s, xlsx_s and generate_report_s (the whole `generation.generate_report`: figures,
  charts, PDF, Word, Excel, stored) for information.

Prints one JSON object per line; exits 1 when a target is missed or the figures do not match
the rows written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from _scratch import PG, drop_database, emit, recreate_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")

DB_NAME = "weibao_bench_report"
DB_URL = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{DB_NAME}"
TARGET_S = 10.0
TARGET_MB = 500.0
SHANGHAI = ZoneInfo("Asia/Shanghai")
QUARTER = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
SITES = {"monitoring_center": 1, "core": 4, "aggregation": 10, "end_office": 45}
ASSETS_PER_SITE = 8


# ---------------------------------------------------------------------------------------------
# The world: one customer, 60 sites, 480 assets, one Gold contract over 2026.


def make_world():
    from weibao.accounts.choices import Role
    from weibao.accounts.models import RoleAssignment, User
    from weibao.assets.models import Asset, AssetCategory
    from weibao.catalog.models import Plan
    from weibao.contracts import services as contract_services
    from weibao.sites.models import Site
    from weibao.tenancy.models import Customer, Provider, ServicePoint

    provider = Provider.objects.create(name="基准维保公司")
    point = ServicePoint.objects.create(
        provider=provider, name="南京网点", latitude=32.06, longitude=118.79
    )
    customer = Customer.objects.create(provider=provider, name="华东通信", code="bench-report")
    sites = Site.objects.bulk_create(
        Site(customer=customer, kind=kind, code=f"{kind[:2].upper()}-{i:03d}",
             name=f"{'监控中心' if kind == 'monitoring_center' else '机房'}{kind[:2]}{i:03d}",
             address="江苏省", latitude=32.0, longitude=118.8, service_point=point,
             road_distance_km=30 + i)
        for kind, count in SITES.items() for i in range(count)
    )  # fmt: skip
    categories = list(AssetCategory.objects.order_by("order"))
    assets = Asset.objects.bulk_create(
        Asset(customer=customer, site=site, category=categories[(s + a) % len(categories)],
              name=f"{site.code} 设备 {a + 1}", model="M", serial_number=f"SN{s:03d}{a:02d}")
        for s, site in enumerate(sites) for a in range(ASSETS_PER_SITE)
    )  # fmt: skip
    engineer = User.objects.create(username="engineer", full_name="李工程师", provider=provider)
    RoleAssignment.objects.create(user=engineer, role=Role.ENGINEER)
    contract = contract_services.create_contract(
        customer=customer, plan=Plan.objects.get(code="gold"), number="WB-BENCH-1",
        title="华东通信维保合同", start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31),
        sites=sites, assets=assets,
    )  # fmt: skip
    return customer, sites, assets, contract, engineer


def _copy(table: str, columns: tuple[str, ...], rows) -> int:
    from django.db import connection

    count = 0
    cols = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _level(i: int) -> tuple[str, str]:
    """(request type, level) of the i-th ticket: 4 % consultation, 2 % other; of the faults
    5 % L1, 35 % L2, 60 % L3."""
    if i % 25 == 1:
        return "consultation", ""
    if i % 50 == 2:
        return "other", ""
    if i % 20 == 0:
        return "fault", "L1"
    return "fault", "L2" if i % 20 < 8 else "L3"


def load_tickets(customer, sites, assets, contract, engineer, n: int) -> dict[str, int]:
    """`n` tickets spread over the quarter with their clocks, criteria and callbacks."""
    from django.db import connection

    from weibao.sla import engine
    from weibao.tickets.models import ClassificationCriterion

    policy = contract.policy.snapshot()
    policy_json = json.dumps(policy.to_dict(), ensure_ascii=False)
    start = dt.datetime.combine(QUARTER[0], dt.time.min, tzinfo=SHANGHAI)
    span = (QUARTER[1] - QUARTER[0]).days * 86400 + 86399
    criteria = {
        level: list(ClassificationCriterion.objects.filter(scheme=3, level=level).values_list(
            "id", flat=True))
        for level in ("L1", "L2", "L3")
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) + 1 FROM tickets_ticket")
        first = cursor.fetchone()[0]
    rows = []
    for i in range(n):
        kind, level = _level(i)
        reported = start + dt.timedelta(seconds=i * span // n)
        site = sites[(i * 7) % len(sites)]
        asset = (
            assets[((i * 7) % len(sites)) * ASSETS_PER_SITE + i % 3] if kind == "fault" else None
        )
        resolved = reported + dt.timedelta(minutes=30 + (i * 7919) % 2880) if i % 40 != 3 else None
        rows.append((first + i, kind, level, reported, site, asset, resolved))

    def tickets():
        for pk, kind, level, reported, site, asset, resolved in rows:
            closed = resolved + dt.timedelta(days=1) if resolved and pk % 3 == 0 else None
            stage = "closed" if closed else ("resolved" if resolved else "phone_support")
            yield (
                pk, reported, reported, f"WB{reported:%y%m%d}-{pk:06d}", False, "phone", kind,
                level, "基准故障", reported, "值班员", "139", stage, policy_json, "", "",
                reported if level == "L1" else None, site.road_distance_km, 0, contract.pk,
                None, customer.pk, site.service_point_id, site.pk, asset.pk if asset else None,
                resolved, closed,
            )  # fmt: skip

    counts = {"tickets": _copy("tickets_ticket", (
        "id", "created_at", "updated_at", "number", "not_covered", "channel", "request_type",
        "level", "fault_phenomenon", "reported_at", "contact_name", "contact_phone", "stage",
        "policy", "remote_consent_by", "remote_consent_method", "onsite_confirmed_at",
        "distance_km", "reopen_count", "contract_id", "created_by_id", "customer_id",
        "service_point_id", "site_id", "asset_id", "resolved_at", "closed_at",
    ), tickets())}  # fmt: skip

    def clocks():
        for pk, kind, level, reported, site, _asset, resolved in rows:
            key = level or kind
            kinds = [engine.PHONE_RESPONSE]
            if level == "L1":
                kinds += [engine.ONSITE_RESPONSE, engine.ONSITE_ARRIVAL]
            for n, clock_kind in enumerate(kinds):
                budget = engine.budget_minutes(
                    policy, clock_kind, key, float(site.road_distance_km)
                )
                due = reported + dt.timedelta(minutes=budget)
                outcome = (pk + pk // 20 + 3 * n) % 10
                if resolved is None:
                    met, breached, state = None, None, "running"
                elif outcome < 8:
                    met, breached, state = reported + dt.timedelta(minutes=budget // 2), None, "met"
                else:
                    met, breached, state = due + dt.timedelta(minutes=20 * outcome), due, "breached"
                yield (clock_kind, budget, reported, due, met, breached, 0, state, pk)

    counts["clocks"] = _copy("sla_clock", (
        "kind", "budget_minutes", "started_at", "due_at", "met_at", "breached_at",
        "paused_seconds", "state", "ticket_id",
    ), clocks())  # fmt: skip

    def links():
        for pk, _kind, level, *_rest in rows:
            if level and pk % 10 < 7:
                options = criteria[level]
                yield (pk, options[pk % len(options)])

    counts["criteria_links"] = _copy(
        "tickets_ticket_criteria", ("ticket_id", "classificationcriterion_id"), links()
    )

    def callbacks():
        for pk, _kind, _level, _reported, _site, _asset, resolved in rows:
            if resolved is not None and pk % 4 == 0:
                yield (pk, resolved + dt.timedelta(hours=20), engineer.pk, pk % 17 != 0,
                       1 + pk % 5, "")  # fmt: skip

    counts["callbacks"] = _copy(
        "tickets_ticketcallback",
        ("ticket_id", "at", "by_id", "satisfied", "score", "note"),
        callbacks(),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('tickets_ticket', 'id'), "
            "(SELECT max(id) FROM tickets_ticket))"
        )
    return counts


def load_repairs_and_visits(customer, sites, assets, contract) -> dict[str, int | str]:
    """300 repairs received and 120 inspection visits planned in the quarter, where those
    capabilities exist."""
    counts: dict[str, int | str] = {}
    days = (QUARTER[1] - QUARTER[0]).days
    try:
        from weibao.repairs.models import Repair

        counts["repairs"] = len(Repair.objects.bulk_create(
            Repair(number=f"RMA-B{i:05d}", customer=customer, site=assets[i].site, asset=assets[i],
                   serial_number=assets[i].serial_number, fault_description="板件故障",
                   repair_origin="foreign" if i % 5 == 0 else "domestic", contract=contract,
                   received_on=QUARTER[0] + dt.timedelta(days=i * days // 300),
                   working_days=30, due_date=QUARTER[0] + dt.timedelta(days=i * days // 300 + 42),
                   status="closed" if i % 2 else "at_repair_center")
            for i in range(300)
        ))  # fmt: skip
    except Exception as error:  # another capability's model changed: say so, keep going
        counts["repairs"] = f"skipped: {error}"
    try:
        from weibao.inspections.models import InspectionVisit

        counts["visits"] = len(InspectionVisit.objects.bulk_create(
            InspectionVisit(customer=customer, contract=contract, site=sites[i % len(sites)],
                            kind="core" if i % 4 else "end_office", plan_key=f"bench-{i}",
                            contract_year=1, period_start=QUARTER[0], period_end=QUARTER[1],
                            planned_date=QUARTER[0] + dt.timedelta(days=i * days // 120),
                            generated_date=QUARTER[0], state="done" if i % 6 else "planned")
            for i in range(120)
        ))  # fmt: skip
    except Exception as error:
        counts["visits"] = f"skipped: {error}"
    return counts


# ---------------------------------------------------------------------------------------------
# The measured part, in a fresh process.


def child(report_id: int) -> None:
    import django

    django.setup()
    import resource

    from weibao.core import clock
    from weibao.reporting import charts, exports, generation
    from weibao.reporting.models import AnalysisReport
    from weibao.reporting.presenters import charts_of, present
    from weibao.reporting.sections import Scope, compute_figures

    report = AnalysisReport.objects.select_related("contract__customer", "contract__policy").get(
        pk=report_id
    )
    # A web or worker process that generates reports has WeasyPrint, matplotlib and the CJK
    # font loaded already; load them once here (a one-line PDF and chart) and report it apart.
    started = time.perf_counter()
    from weibao.documents.pdf import render_pdf
    from weibao.reporting.presenters import Chart

    render_pdf("documents/pdf_base.html", {})
    charts.render_png(Chart("warmup", "预热", "bar", ("一",), (("数量", (1.0,)),)))
    warmup_s = time.perf_counter() - started

    started = time.perf_counter()
    scope = Scope(contract=report.contract, period=report.period, now=clock.now())
    report.figures = compute_figures(scope)
    report.generated_at = scope.now
    figures_s = time.perf_counter() - started

    started = time.perf_counter()
    report.charts = charts.render_all(charts_of(present(report)))
    pdf = exports.render(report, "pdf")
    pdf_s = time.perf_counter() - started

    timings = {}
    for fmt in ("docx", "xlsx"):
        started = time.perf_counter()
        exports.render(report, fmt)
        timings[f"{fmt}_s"] = round(time.perf_counter() - started, 2)
    peak_generation_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    started = time.perf_counter()
    generated = generation.generate_report(report_id)
    timings["generate_report_s"] = round(time.perf_counter() - started, 2)
    print(json.dumps({
        "figures_s": figures_s, "pdf_s": pdf_s, "pdf_bytes": len(pdf), "warmup_s": warmup_s,
        "peak_mb": peak_generation_mb,
        "peak_mb_with_generate_report": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "state": generated.state if generated else None, "figures": report.figures, **timings,
    }, ensure_ascii=False, default=str))  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0

    if not recreate_database(DB_NAME):
        emit(bench="report.quarterly", skipped="no PostgreSQL")
        return 0
    os.environ["WEIBAO_DATABASE_URL"] = DB_URL
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from weibao.core import clock
    from weibao.reporting import services

    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        customer, sites, assets, contract, engineer = make_world()
        counts = load_tickets(customer, sites, assets, contract, engineer, args.tickets)
        counts.update(load_repairs_and_visits(customer, sites, assets, contract))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        emit(bench="report.setup", seconds=round(time.perf_counter() - started, 1), **counts)
        with clock.frozen_at(dt.datetime(2026, 10, 8, 9, 0, tzinfo=SHANGHAI)):
            report = services.request_report(
                contract, period_kind="quarter", day=QUARTER[0], actor=engineer, start=False
            )
    finally:
        connection.close()

    out = subprocess.run(
        [sys.executable, __file__, "--child", str(report.pk)],
        capture_output=True, text=True, env={**os.environ}, check=False,
    )  # fmt: skip
    if out.returncode != 0:
        emit(bench="report.quarterly", tickets=args.tickets, ok=False, error=out.stderr[-2000:])
        return 1
    result = json.loads(out.stdout.strip().splitlines()[-1])
    figures = result.pop("figures")
    expected_faults = sum(1 for i in range(args.tickets) if _level(i)[0] == "fault")
    consistent = (
        figures["overview"]["tickets"] == args.tickets
        and figures["overview"]["faults"] == expected_faults
        and sum(r["count"] for r in figures["faults"]["by_level"]) == expected_faults
        and result["state"] == "ready"
    )
    total_s = result["figures_s"] + result["pdf_s"]
    ok = total_s <= TARGET_S and result["peak_mb"] <= TARGET_MB and consistent
    emit(
        bench="report.quarterly", tickets=args.tickets, figures_s=round(result["figures_s"], 2),
        pdf_s=round(result["pdf_s"], 2), total_s=round(total_s, 2),
        peak_mb=round(result["peak_mb"], 1), ok=ok, target_s=TARGET_S, target_mb=TARGET_MB,
        warmup_s=round(result["warmup_s"], 2), docx_s=result["docx_s"], xlsx_s=result["xlsx_s"],
        generate_report_s=result["generate_report_s"],
        peak_mb_with_generate_report=round(result["peak_mb_with_generate_report"], 1),
        pdf_kb=round(result["pdf_bytes"] / 1024), figures_consistent=consistent,
        sla=[(k["kind"], k["met"], k["breached"], k["running"]) for k in figures["sla"]["kinds"]],
        mttr_hours=figures["mttr"]["mean_hours"],
        load_average=[round(x, 1) for x in os.getloadavg()], cpu_cores=os.cpu_count(),
        note="figures_s: SQL aggregates of every section; pdf_s: charts + WeasyPrint PDF, after "
        "warmup_s (first import of WeasyPrint/matplotlib and the CJK font, once per process); "
        "peak_mb: ru_maxrss of the generating child process (warm-up included)",
    )  # fmt: skip
    if not args.keep:
        drop_database(DB_NAME)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
