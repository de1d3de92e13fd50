"""Benchmark of alarm intake (issue 13), side by side with Prometheus Alertmanager.

Run from the project root: `.venv/bin/python bench/bench_alarms.py [--seconds 15]
[--storm 100000]`. Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth) and works
in its own scratch database (`weibao_bench_alarms`, or BENCH_ALARMS_DB; recreated at the
start, dropped at the end); without PostgreSQL it prints a "skipped" line and exits 0. Prints
one JSON object per line:

* `alarms.intake` — one load generator posts batches of 50 unique alerts
  (`POST /api/v2/alerts`) from 4 client threads for 15 s, first to Alertmanager (Debian's
  `prometheus-alertmanager`, fetched with `apt-get download` and unpacked with `dpkg -x` into
  var/bench/am unless BENCH_ALERTMANAGER names a binary; started on a free port, in memory,
  with a webhook receiver), then to Weibao's compatible endpoint served by the lean intake
  process (`weibao alarms intake`, docs/adr/alarm-intake-process.md) on PostgreSQL (durable
  commits of each delivery, stored pending; `--apply` then times the runner applying them):
  alerts/s acknowledged, ratio Weibao/Alertmanager (target ≥ 1.0), peak RSS of each server
  process at the end of its run (target Weibao ≤ ¼; PostgreSQL's own memory is reported
  apart), request p50/p99, and each server's CPU time per 1,000 alerts (the machine may be
  shared: CPU time is the steadier figure);
* `alarms.storm` (bench_alarm_storm.py) — 100,000 alarms over 200 sites, 20 of them with
  every front-end device down,
  sent to `weibao serve` while a separate worker process runs the correlation: the latency
  from an alarm's acknowledgement to its incident's ticket with clocks (p50/p99, target p99
  ≤ 2 s), incidents and tickets opened per site and rule (target exactly one);
* `alarms.crash` — the same storm again, with kill -9 of the server and of the worker in the
  middle, then both restarted and the rest sent: acknowledged alarms lost (target 0),
  duplicate incidents and tickets (target 0).

Exits 1 when a target is missed or a figure could not be measured."""

from __future__ import annotations

import http.client
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _alarm_rig import (  # noqa: E402
    BATCH,
    DB,
    ROOT,
    THREADS,
    django_setup,
    iso_now,
    percentile,
    postgres_rss_kb,
    server_env,
    wait_ready,
)
from _scratch import drop_database, emit, free_port, peak_rss_kb, recreate_database  # noqa: E402

AM_CONFIG = """
route:
  receiver: hook
  group_by: ['alertname', 'site']
  group_wait: 5s
  group_interval: 30s
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: 'http://127.0.0.1:%(hook)d/hook'
        send_resolved: true
"""


# ----------------------------------------------------------------------------- Alertmanager


def alertmanager_binary() -> Path | None:
    """BENCH_ALERTMANAGER, or Debian's package unpacked under var/bench/am (fetched once)."""
    if os.environ.get("BENCH_ALERTMANAGER"):
        return Path(os.environ["BENCH_ALERTMANAGER"])
    from _scratch import debian_binary

    return debian_binary("prometheus-alertmanager", "usr/bin/prometheus-alertmanager", under="am")


def share_overlay(binary: Path) -> list[str]:
    """Debian's build reads its templates from /usr/share/prometheus/alertmanager: an unpacked
    package runs in a private mount namespace with its usr/share laid over /usr/share."""
    share = binary.resolve().parent.parent / "share"
    if Path("/usr/share/prometheus/alertmanager/default.tmpl").exists() or not share.is_dir():
        return []
    mount = f"mount -t overlay overlay -o lowerdir={share}:/usr/share /usr/share"
    root = ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-rm"]
    return [*root, "sh", "-c", f'{mount} && exec "$0" "$@"']


class Hook(BaseHTTPRequestHandler):
    """Alertmanager's webhook receiver: takes the notifications and counts them."""

    received = 0

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        Hook.received += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def start_alertmanager(binary: Path, workdir: Path, hook_port: int):
    (workdir / "am.yml").write_text(AM_CONFIG % {"hook": hook_port})
    port = free_port()
    process = subprocess.Popen(
        [
            *share_overlay(binary), str(binary), f"--config.file={workdir / 'am.yml'}",
            f"--storage.path={workdir}", f"--web.listen-address=127.0.0.1:{port}",
            "--cluster.listen-address=", "--log.level=warn",
        ],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_ready(f"http://127.0.0.1:{port}/-/ready", process)
    return process, port


# ----------------------------------------------------------------------------- load


def post_load(port: int, *, token: str = "", seconds: float, prefix: str) -> dict:
    """4 threads posting batches of 50 unique alerts for `seconds`; what was acknowledged."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    numbers = itertools.count()
    latencies: list[float] = []
    counts = {"acked": 0, "failed": 0}
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, acked, failed = [], 0, 0
        while time.monotonic() < end:
            n = next(numbers)
            starts = iso_now()
            body = json.dumps([
                {
                    "labels": {"alertname": "BenchDown", "site": f"B-{n % 200:03d}",
                               "instance": f"{prefix}-{n}-{i}", "severity": "major"},
                    "annotations": {"summary": "前端设备不通"},
                    "startsAt": starts,
                }
                for i in range(BATCH)
            ]).encode()  # fmt: skip
            began = time.perf_counter()
            try:
                conn.request("POST", "/api/v2/alerts", body, headers)
                answer = conn.getresponse()
                answer.read()
                ok = 200 <= answer.status < 300
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                ok = False
            mine.append(time.perf_counter() - began)
            if ok:
                acked += BATCH
            else:
                failed += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            counts["acked"] += acked
            counts["failed"] += failed

    threads = [threading.Thread(target=client) for _ in range(THREADS)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return {
        "alerts_per_s": round(counts["acked"] / elapsed, 1),
        "acked": counts["acked"],
        "failed_requests": counts["failed"],
        "requests": len(latencies),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "seconds": round(elapsed, 2),
    }


# ----------------------------------------------------------------------------- Weibao


def intake(args) -> dict | None:
    binary = alertmanager_binary()
    if binary is None:
        emit(bench="alarms.intake", skipped="Alertmanager unavailable (apt-get download failed)")
        return None
    hook = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    workdir = Path(tempfile.mkdtemp(prefix="am-bench-"))
    am, am_port = start_alertmanager(binary, workdir, hook.server_address[1])
    try:
        cpu = cpu_seconds(am.pid)
        am_run = post_load(am_port, seconds=args.seconds, prefix="am")
        am_run["cpu_ms_per_1000"] = per_1000(cpu_seconds(am.pid) - cpu, am_run["acked"])
        am_run["peak_rss_kb"] = peak_rss_kb(am.pid)
    finally:
        am.kill()
        am.wait()
        hook.shutdown()
        shutil.rmtree(workdir, ignore_errors=True)

    from weibao.alarms.models import AlarmSource
    from weibao.testing.factories import CustomerFactory

    source = AlarmSource.objects.create(
        name="Prometheus", slug="bench-am-api", kind="am_api", customer=CustomerFactory(),
        token="bench-am-api-token",
    )  # fmt: skip
    from django.db import connection

    connection.close()
    port = free_port()
    server = start_intake(port)
    try:
        pids = intake_pids(server.pid)
        cpu = sum(cpu_seconds(pid) for pid in pids)
        wb_run = post_load(port, token=source.token, seconds=args.seconds, prefix="wb")
        wb_run["cpu_ms_per_1000"] = per_1000(
            sum(cpu_seconds(pid) for pid in pids) - cpu, wb_run["acked"]
        )
        # every process of the intake together (its --processes share the port)
        wb_run["peak_rss_kb"] = sum(peak_rss_kb(pid) for pid in pids)
        wb_run["processes"] = len(pids)
        wb_run["postgres_rss_kb"] = postgres_rss_kb()
    finally:
        server.terminate()
        server.wait(timeout=30)
    from django.db import connection
    from django.db.models import Sum

    from weibao.alarms.models import RawDelivery

    stored = RawDelivery.objects.filter(source=source).aggregate(n=Sum("alarms"))["n"] or 0
    applied = apply_pending() if args.apply else {}
    ratio = wb_run["alerts_per_s"] / am_run["alerts_per_s"] if am_run["alerts_per_s"] else 0
    rss_share = wb_run["peak_rss_kb"] / am_run["peak_rss_kb"] if am_run["peak_rss_kb"] else 0
    figure = {
        "bench": "alarms.intake",
        "alertmanager": am_run,
        "weibao": wb_run,
        "weibao_alarms_stored": stored,
        "weibao_all_acked_stored": stored >= wb_run["acked"],
        **applied,
        "ratio": round(ratio, 2),
        "ratio_ok": ratio >= 1.0,
        "rss_share": round(rss_share, 3),
        "rss_ok": rss_share <= 0.25,
        "batch": BATCH,
        "threads": THREADS,
    }
    emit(**figure)
    # The storm that follows starts from an empty inbox: the million alarms stored here would
    # otherwise be its runners' backlog (another source's, applied first).
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE alarms_alarmchange, alarms_alarm, alarms_rawdelivery CASCADE")
    return figure


def start_intake(port: int):
    """`weibao alarms intake` as a user runs it: the lean intake process (it stores each
    delivery durably as pending; the runner applies it), with BENCH_INTAKE_PROCESSES
    processes (default 2, one per core of this machine)."""
    processes = os.environ.get("BENCH_INTAKE_PROCESSES", "2")
    args = [sys.executable, "manage.py", "alarms", "intake", "--port", str(port),
            "--processes", processes]  # fmt: skip
    process = subprocess.Popen(
        args, env=server_env(), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wait_ready(f"http://127.0.0.1:{port}/api/v2/alerts", process)
    return process


def apply_pending() -> dict:
    """The runner applies what the intake stored (alarms upserted, changes written)."""
    from weibao.alarms.models import Alarm
    from weibao.alarms.services.pending import apply_pending as apply
    from weibao.core import clock, due

    began = time.perf_counter()
    deliveries = due.drain(apply, now=clock.now(), batch=500)
    seconds = time.perf_counter() - began
    alarms = Alarm.objects.count()
    return {
        "runner_applied_deliveries": deliveries,
        "runner_alarms": alarms,
        "runner_alarms_per_s": round(alarms / seconds, 1) if seconds else 0,
    }


def intake_pids(pid: int) -> list[int]:
    """The intake process and the processes it forked (once they are up)."""
    deadline = time.time() + 30
    want = int(os.environ.get("BENCH_INTAKE_PROCESSES", "2"))
    while True:
        children = []
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            children += [int(child) for child in text]
        if len(children) + 1 >= want or time.time() > deadline:
            return [pid, *children]
        time.sleep(0.1)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def per_1000(seconds: float, alerts: int) -> float:
    return round(seconds * 1000 / alerts * 1000, 2) if alerts else 0.0


# ----------------------------------------------------------------------------- storm


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--storm", type=int, default=100_000)
    parser.add_argument("--skip-intake", action="store_true")
    parser.add_argument("--skip-storm", action="store_true")
    parser.add_argument("--skip-crash", action="store_true", help="the storm without its crash run")
    parser.add_argument(
        "--apply", action="store_true", help="then time the runner applying what Weibao stored"
    )
    args = parser.parse_args()
    if not recreate_database(DB):
        emit(bench="alarms", skipped="PostgreSQL unreachable at 127.0.0.1:5432")
        return 0
    django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    ok = True
    try:
        if not args.skip_intake:
            figure = intake(args)
            ok &= bool(figure and figure["ratio_ok"] and figure["rss_ok"])
        if not args.skip_storm:
            from bench_alarm_storm import storm_all

            ok &= storm_all(args)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(DB)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
