"""The alarm storm benchmark (issue 13), run by `bench_alarms.py` after the intake comparison
(or alone: `.venv/bin/python bench/bench_alarms.py --skip-intake --storm 20000`):

* `alarms.storm` — 100,000 alarms over 200 sites, 20 of them with every front-end device down,
  sent to the lean intake process (`weibao alarms intake`, as in the intake comparison: it
  acknowledges once a delivery is stored, the runner applies it) while separate worker
  processes (`bench_alarm_storm.py worker`, two
  by default: BENCH_STORM_WORKERS) run the correlation: the latency from an alarm's
  acknowledgement to its incident's ticket with clocks (p50/p99, target p99 ≤ 2 s), incidents
  and tickets opened per site and rule (target exactly one);
* `alarms.crash` — the same storm again, with kill -9 of the intake process (all of its
  processes) and of the workers in the middle, then both restarted and the rest sent:
  acknowledged alarms lost (target 0), duplicate incidents and tickets (target 0)."""

from __future__ import annotations

import http.client
import itertools
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _alarm_rig import (  # noqa: E402
    BATCH,
    ROOT,
    THREADS,
    django_setup,
    iso_now,
    percentile,
    server_env,
)
from _scratch import emit, free_port  # noqa: E402

SITES = 200
DOWN_SITES = 20
# Worker processes correlating side by side (SKIP LOCKED claims of the inbox, the partial
# unique index on open incidents: two never open one key twice); BENCH_STORM_WORKERS=1 to
# compare with one.
WORKERS = int(os.environ.get("BENCH_STORM_WORKERS", "2"))
CAMERAS = 20  # front-end devices of each monitoring center whose front-ends all go down
SENSORS = 10  # devices of each other site, some of them alarming


def worker_loop(ready: str = "") -> int:
    """A separate runner process (`bench_alarms.py worker`): the due sources in a loop, as
    `weibao serve`'s embedded worker or `weibao worker` run them. After its first run it
    creates the file `ready` (when given): a storm meets workers already running."""
    django_setup()
    from weibao.core import due

    pace = due.Pace()  # as the embedded worker's loop
    while True:
        counts = due.run(batch=500, deliver=False, pace=pace)
        if ready:
            Path(ready).touch()
            ready = ""
        if not any(counts.values()):
            time.sleep(0.05)


def wait_workers(files: list[Path], timeout: float = 400) -> None:
    """Until every worker has run once (Django loaded, connected): the latency measured is
    the correlation's, not a worker process starting."""
    deadline = time.time() + timeout
    while not all(file.exists() for file in files):
        if time.time() > deadline:
            raise RuntimeError("the workers did not start")
        time.sleep(0.2)


def storm_world(tag: str):
    """A customer with 200 covered sites: 20 monitoring centers with 20 cameras each, 180 end
    offices with 10 devices each; an Alertmanager-compatible source. Returns the alarms to
    send as (labels) per site, one rule per site."""
    from weibao.alarms.models import AlarmSource
    from weibao.assets.models import Asset, AssetCategory
    from weibao.sites.models import Site, SiteKind
    from weibao.testing import factories as f

    point = f.ServicePointFactory()
    customer = f.CustomerFactory(provider=point.provider, code=f"storm-{tag}")
    sites = Site.objects.bulk_create(
        [
            Site(
                customer=customer, service_point=point, name=f"机房{tag}{i:03d}",
                code=f"{tag}-{i:03d}", address="南京市", latitude=32.0, longitude=118.8,
                kind=SiteKind.MONITORING_CENTER if i < DOWN_SITES else SiteKind.END_OFFICE,
            )
            for i in range(SITES)
        ]
    )  # fmt: skip
    camera = AssetCategory.objects.get(code="camera")
    fsu = AssetCategory.objects.get(code="fsu")
    assets = []
    for i, site in enumerate(sites):
        count, category = (CAMERAS, camera) if i < DOWN_SITES else (SENSORS, fsu)
        assets += [
            Asset(customer=customer, site=site, category=category, name=f"{site.code} 设备{d}",
                  model="X1", serial_number=f"{site.code}-D{d:02d}")
            for d in range(count)
        ]  # fmt: skip
    Asset.objects.bulk_create(assets)
    f.make_contract(customer, sites=sites)
    source = AlarmSource.objects.create(
        name=f"storm {tag}", slug=f"storm-{tag}", kind="am_api", customer=customer,
        token=f"storm-{tag}-token",
    )  # fmt: skip
    alarms = []
    for i, site in enumerate(sites):
        if i < DOWN_SITES:  # every front-end device of the center unreachable
            alarms += [{"alertname": "DeviceUnreachable", "site": site.code,
                        "device": f"{site.code}-D{d:02d}", "severity": "critical"}
                       for d in range(CAMERAS)]  # fmt: skip
        else:  # a few devices of an end office with one kind of alarm
            alarms += [{"alertname": "MainsFailure", "site": site.code,
                        "device": f"{site.code}-D{d:02d}", "severity": "major"}
                       for d in range(3)]  # fmt: skip
    return customer, source, alarms


def storm_send(port_of, token: str, alarms: list[dict], total: int, *, on_half=None) -> dict:
    """Send `total` alerts (each alarm first, then repeats round-robin) in batches of 50 from
    4 threads; a batch that fails is sent again (senders retry) until acknowledged. Returns
    the first acknowledgement time of every alarm (its fingerprint) and the counts."""
    from weibao.alarms.fingerprint import fingerprint

    keys = [fingerprint(labels) for labels in alarms]
    order = [i % len(alarms) for i in range(total)]
    batches = [order[i : i + BATCH] for i in range(0, total, BATCH)]
    acked_at: dict[str, float] = {}
    counts = {"acked": 0, "retried": 0}
    lock = threading.Lock()
    cursor = itertools.count()
    half = len(batches) // 2
    crash = threading.Event()
    resumed = threading.Event()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}

    def client() -> None:
        conn = None
        while True:
            n = next(cursor)
            if n >= len(batches):
                return
            if on_half and n == half:
                crash.set()
            body = json.dumps([
                {"labels": alarms[i], "annotations": {"summary": "告警风暴"}, "startsAt": iso_now()}
                for i in batches[n]
            ]).encode()  # fmt: skip
            while True:
                try:
                    if conn is None:
                        conn = http.client.HTTPConnection("127.0.0.1", port_of(), timeout=60)
                    conn.request("POST", "/api/v2/alerts", body, headers)
                    answer = conn.getresponse()
                    answer.read()
                    if 200 <= answer.status < 300:
                        break
                except (OSError, http.client.HTTPException):
                    if conn is not None:
                        conn.close()
                    conn = None
                with lock:
                    counts["retried"] += 1
                time.sleep(0.2)
            now = time.time()
            with lock:
                counts["acked"] += len(batches[n])
                for i in batches[n]:
                    acked_at.setdefault(keys[i], now)

    threads = [threading.Thread(target=client) for _ in range(THREADS)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    if on_half:
        crash.wait()
        on_half()
        resumed.set()
    for thread in threads:
        thread.join()
    return {"acked_at": acked_at, "seconds": time.perf_counter() - began, **counts}


def wait_drained(timeout: float = 600) -> bool:
    """Until every stored delivery is applied and the correlation inbox is empty."""
    from django.db import connection

    from weibao.alarms.models import AlarmChange, RawDelivery

    deadline = time.time() + timeout
    while time.time() < deadline:
        if not (
            RawDelivery.objects.filter(pending=True).exists()
            or AlarmChange.objects.filter(processed_at__isnull=True).exists()
        ):
            return True
        connection.close()
        time.sleep(0.5)
    return False


def storm_figures(customer, source, alarms, sent: dict) -> dict:
    """Latency ack → ticket with clocks, incidents and tickets per site and rule, losses."""
    from django.db.models import Count

    from weibao.alarms.models import Alarm
    from weibao.incidents.models import Incident, IncidentAlarm
    from weibao.sla.models import Clock
    from weibao.tickets.models import Ticket

    stored = set(Alarm.objects.filter(source=source).values_list("key", flat=True))
    lost = [key for key in sent["acked_at"] if key not in stored]
    per_key = list(
        Incident.objects.filter(customer=customer)
        .values("site_id", "rule")
        .annotate(n=Count("id"), tickets=Count("ticket", distinct=True))
    )
    expected = {(labels["site"], labels["alertname"]) for labels in alarms}
    first_alarm = {}
    links = IncidentAlarm.objects.filter(incident__customer=customer).values_list(
        "incident_id", "alarm__key"
    )
    for incident_id, key in links:
        at = sent["acked_at"].get(key)
        if at is not None and (incident_id not in first_alarm or at < first_alarm[incident_id]):
            first_alarm[incident_id] = at
    latencies, missing_clocks = [], 0
    clocked = set(
        Clock.objects.filter(ticket__customer=customer).values_list("ticket_id", flat=True)
    )
    for incident in Incident.objects.filter(customer=customer, ticket__isnull=False).select_related(
        "ticket"
    ):
        if incident.ticket_id not in clocked:
            missing_clocks += 1
        if incident.pk in first_alarm:
            latencies.append(incident.ticket.created_at.timestamp() - first_alarm[incident.pk])
    tickets = Ticket.objects.filter(customer=customer).count()
    return {
        "alarms_sent": sent["acked"],
        "distinct_alarms": len(alarms),
        "alerts_per_s": round(sent["acked"] / sent["seconds"], 1),
        "retried_batches": sent["retried"],
        "acked_alarms_lost": len(lost),
        "incidents": sum(row["n"] for row in per_key),
        "site_rule_pairs_expected": len(expected),
        "site_rule_pairs_with_incident": len(per_key),
        "duplicate_incidents": sum(row["n"] - 1 for row in per_key),
        "tickets": tickets,
        "duplicate_tickets": max(0, tickets - len(per_key)),
        "tickets_without_clocks": missing_clocks,
        "ack_to_ticket_p50_s": round(percentile(latencies, 50), 3),
        "ack_to_ticket_p99_s": round(percentile(latencies, 99), 3),
        # how the tickets spread out: the latency at 0 %, 10 %, … 100 %
        "ack_to_ticket_deciles_s": [round(percentile(latencies, p), 2) for p in range(0, 101, 10)],
        "latency_samples": len(latencies),
    }


def storm_run(args, tag: str, *, crash: bool) -> dict:
    from bench_alarms import intake_pids, start_intake
    from django.db import connection

    customer, source, alarms = storm_world(tag)
    connection.close()
    port = free_port()
    env = server_env()
    workers = [f"worker{n}" for n in range(WORKERS)]

    ready = [Path(tempfile.gettempdir()) / f"storm-{os.getpid()}-{tag}-{name}" for name in workers]
    for file in ready:
        file.unlink(missing_ok=True)

    def start_worker(file: Path | None = None):
        return subprocess.Popen(
            [sys.executable, __file__, "worker", str(file or "")], env=env, cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    procs = {name: start_worker(file) for name, file in zip(workers, ready, strict=True)}
    procs["intake"] = start_intake(port)
    wait_workers(ready)
    killed = {}

    def kill_and_restart() -> None:
        for pid in intake_pids(procs["intake"].pid)[1:]:  # its forked processes first
            os.kill(pid, signal.SIGKILL)
        for name in ("intake", *workers):
            procs[name].send_signal(signal.SIGKILL)
            procs[name].wait()
            killed[name] = procs[name].pid
        for name in workers:
            procs[name] = start_worker()
        procs["intake"] = start_intake(port)

    try:
        sent = storm_send(
            lambda: port, source.token, alarms, args.storm,
            on_half=kill_and_restart if crash else None,
        )  # fmt: skip
        drain_began = time.perf_counter()
        drained = wait_drained()
        drain_seconds = time.perf_counter() - drain_began
    finally:
        for process in procs.values():
            process.terminate()
        for process in procs.values():
            process.wait(timeout=30)
        for file in ready:
            file.unlink(missing_ok=True)
    figure = {
        "workers": WORKERS,
        "drained": drained,
        "send_seconds": round(sent["seconds"], 1),
        "drain_after_send_seconds": round(drain_seconds, 1),
        **storm_figures(customer, source, alarms, sent),
    }
    if crash:
        figure["killed"] = sorted(killed)
    return figure


def storm_all(args) -> bool:
    try:
        import weibao.incidents.models  # noqa: F401
    except ImportError:
        emit(bench="alarms.storm", skipped="no correlation (weibao.incidents) in this tree")
        return False
    storm = storm_run(args, "st", crash=False)
    storm_ok = (
        storm["drained"]
        and storm["acked_alarms_lost"] == 0
        and storm["duplicate_incidents"] == 0
        and storm["duplicate_tickets"] == 0
        and storm["site_rule_pairs_with_incident"] == storm["site_rule_pairs_expected"]
        and storm["tickets_without_clocks"] == 0
        and storm["ack_to_ticket_p99_s"] <= 2.0
    )
    emit(bench="alarms.storm", sites=SITES, down_sites=DOWN_SITES, ok=storm_ok, **storm)
    if args.skip_crash:
        return bool(storm_ok)
    crash = storm_run(args, "cr", crash=True)
    crash_ok = (
        crash["drained"]
        and crash["acked_alarms_lost"] == 0
        and crash["duplicate_incidents"] == 0
        and crash["duplicate_tickets"] == 0
    )
    emit(bench="alarms.crash", ok=crash_ok, **crash)
    return bool(storm_ok and crash_ok)


# ----------------------------------------------------------------------------- main


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        sys.exit(worker_loop(sys.argv[2] if len(sys.argv) > 2 else ""))
