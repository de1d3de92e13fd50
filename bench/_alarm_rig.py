"""What the alarm benchmarks share (`bench_alarms.py`, the intake side by side with
Alertmanager; `bench_alarm_storm.py`, the storm): the scratch database, Weibao served as a user
runs it, and the figures' arithmetic."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# BENCH_ALARMS_DB lets two runs work side by side, each in its own scratch database.
DB = os.environ.get("BENCH_ALARMS_DB", "weibao_bench_alarms")
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
BATCH = 50  # alerts per request
THREADS = 4  # client threads of the load generator


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


def iso_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


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
