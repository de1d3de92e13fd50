"""Benchmark of alarm intake (issue 13), side by side with Prometheus Alertmanager.

Run from the project root: `.venv/bin/python bench/bench_alarms.py [--seconds 15]
[--storm 100000]`. Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth) and works
in its own scratch database (`weibao_bench_alarms`, recreated at the start, dropped at the
end); without PostgreSQL it prints a "skipped" line and exits 0. Prints one JSON object per
line:

* `alarms.intake` — one load generator posts batches of 50 unique alerts
  (`POST /api/v2/alerts`) from 4 client threads for 15 s, first to Alertmanager (Debian's
  `prometheus-alertmanager`, fetched with `apt-get download` and unpacked with `dpkg -x` into
  var/bench/am unless BENCH_ALERTMANAGER names a binary; started on a free port, in memory,
  with a webhook receiver), then to Weibao's compatible endpoint served by `weibao serve` on
  PostgreSQL (durable commits; the embedded worker off, correlation is measured by the storm):
  alerts/s acknowledged, ratio Weibao/Alertmanager (target ≥ 1.0), peak RSS of each server
  process at the end of its run (target Weibao ≤ ¼; PostgreSQL's own memory is reported
  apart), request p50/p99;
* `alarms.storm` — 100,000 alarms over 200 sites, 20 of them with every front-end device down,
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
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _scratch import drop_database, emit, free_port, peak_rss_kb, recreate_database  # noqa: E402

DB = "weibao_bench_alarms"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
BATCH = 50
THREADS = 4
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
    home = ROOT / "var" / "bench" / "am"
    binary = home / "usr" / "bin" / "prometheus-alertmanager"
    if binary.exists():
        return binary
    download = Path(tempfile.mkdtemp(prefix="am-deb-"))
    home.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            ["apt-get", "download", "prometheus-alertmanager"],
            cwd=download, check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        deb = next(download.glob("prometheus-alertmanager_*.deb"))
        subprocess.run(["dpkg", "-x", str(deb), str(home)], check=True, capture_output=True)
    except (OSError, subprocess.SubprocessError, StopIteration):
        return None
    finally:
        shutil.rmtree(download, ignore_errors=True)
    return binary if binary.exists() else None


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


def wait_ready(url: str, process, timeout: float = 90) -> None:
    deadline = time.time() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except urllib.error.HTTPError:
            return  # it answers (401 without a token is an answer)
        except OSError:
            if time.time() > deadline or process.poll() is not None:
                raise RuntimeError(f"{url} did not come up") from None
            time.sleep(0.2)


# ----------------------------------------------------------------------------- load


def iso_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


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


def django_setup() -> None:
    os.environ["WEIBAO_DATABASE_URL"] = DB_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
    import django

    django.setup()


def server_env() -> dict:
    return {**os.environ, "WEIBAO_DATABASE_URL": DB_URL, "WEIBAO_LOG_LEVEL": "WARNING"}


def start_weibao(port: int, *, worker: bool = False):
    """`weibao serve` as a user runs it (Waitress, 8 threads); the embedded worker off unless
    asked (the storm runs a separate worker process so both can be killed)."""
    args = [sys.executable, "manage.py", "serve", "--port", str(port), "--no-listeners"]
    if not worker:
        args.append("--no-worker")
    process = subprocess.Popen(
        args, env=server_env(), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wait_ready(f"http://127.0.0.1:{port}/healthz", process)
    return process


def postgres_rss_kb() -> int:
    """Resident memory of the PostgreSQL backends of the scratch database now (kB)."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            command = Path(f"/proc/{entry.name}/cmdline").read_bytes().decode(errors="replace")
            if f" {DB} " not in command.replace("\0", " ") and DB not in command:
                continue
            for line in Path(f"/proc/{entry.name}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


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
        am_run = post_load(am_port, seconds=args.seconds, prefix="am")
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
    server = start_weibao(port)
    try:
        wb_run = post_load(port, token=source.token, seconds=args.seconds, prefix="wb")
        wb_run["peak_rss_kb"] = peak_rss_kb(server.pid)
        wb_run["postgres_rss_kb"] = postgres_rss_kb()
    finally:
        server.terminate()
        server.wait(timeout=30)
    from weibao.alarms.models import Alarm

    stored = Alarm.objects.filter(source=source).count()
    ratio = wb_run["alerts_per_s"] / am_run["alerts_per_s"] if am_run["alerts_per_s"] else 0
    rss_share = wb_run["peak_rss_kb"] / am_run["peak_rss_kb"] if am_run["peak_rss_kb"] else 0
    figure = {
        "bench": "alarms.intake",
        "alertmanager": am_run,
        "weibao": wb_run,
        "weibao_alarms_stored": stored,
        "weibao_all_acked_stored": stored >= wb_run["acked"],
        "ratio": round(ratio, 2),
        "ratio_ok": ratio >= 1.0,
        "rss_share": round(rss_share, 3),
        "rss_ok": rss_share <= 0.25,
        "batch": BATCH,
        "threads": THREADS,
    }
    emit(**figure)
    return figure


# ----------------------------------------------------------------------------- storm

SITES = 200
DOWN_SITES = 20
CAMERAS = 20  # front-end devices of each monitoring center whose front-ends all go down
SENSORS = 10  # devices of each other site, some of them alarming


def worker_loop() -> int:
    """A separate runner process (`bench_alarms.py worker`): the due sources in a loop, as
    `weibao serve`'s embedded worker or `weibao worker` run them."""
    django_setup()
    from weibao.core import due

    while True:
        counts = due.run(batch=500, deliver=False)
        if not any(counts.values()):
            time.sleep(0.05)


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


def wait_drained(timeout: float = 300) -> bool:
    """Until the correlation inbox is empty (every alarm change processed)."""
    from django.db import connection

    from weibao.alarms.models import AlarmChange

    deadline = time.time() + timeout
    while time.time() < deadline:
        if not AlarmChange.objects.filter(processed_at__isnull=True).exists():
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
        "latency_samples": len(latencies),
    }


def storm_run(args, tag: str, *, crash: bool) -> dict:
    from django.db import connection

    customer, source, alarms = storm_world(tag)
    connection.close()
    port = free_port()
    env = server_env()
    procs = {
        "server": start_weibao(port),
        "worker": subprocess.Popen(
            [sys.executable, __file__, "worker"], env=env, cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ),
    }  # fmt: skip
    killed = {}

    def kill_and_restart() -> None:
        for name in ("server", "worker"):
            procs[name].send_signal(signal.SIGKILL)
            procs[name].wait()
            killed[name] = procs[name].pid
        procs["worker"] = subprocess.Popen(
            [sys.executable, __file__, "worker"], env=env, cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        procs["server"] = start_weibao(port)

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
    figure = {
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


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--storm", type=int, default=100_000)
    parser.add_argument("--skip-intake", action="store_true")
    parser.add_argument("--skip-storm", action="store_true")
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
            ok &= storm_all(args)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(DB)
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        sys.exit(worker_loop())
    sys.exit(main())
