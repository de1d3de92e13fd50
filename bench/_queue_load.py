"""The queue benchmark's load generators (bench_queue.py): client threads in this process
(`hammer`, with `http_get` as the call) and `wrk`, a load generator in C (Debian's package,
fetched with `apt-get download`)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from _scratch import debian_binary  # noqa: E402


def hammer(clients: int, rounds: int, call) -> tuple[list[float], list[str]]:
    """`clients` threads, each calling `call()` `rounds` times; wall time of each call."""
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client():
        start.wait()
        for _ in range(rounds):
            began = time.perf_counter()
            try:
                call()
            except Exception as exc:  # counted and reported
                with lock:
                    errors.append(repr(exc)[:200])
                continue
            with lock:
                times.append(time.perf_counter() - began)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, errors


def http_get(url: str, headers: dict) -> None:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60) as r:
        r.read()
        if r.status != 200:
            raise RuntimeError(r.status)


def wrk_binary() -> Path | None:
    """BENCH_WRK, or Debian's `wrk` (a load generator in C, with its LuaJIT) unpacked under
    var/bench/wrk (fetched once with `apt-get download`); None when neither can be had."""
    if os.environ.get("BENCH_WRK"):
        return Path(os.environ["BENCH_WRK"])
    return debian_binary(
        "wrk", "usr/bin/wrk", under="wrk", also=("libluajit-5.1-2", "libluajit-5.1-common")
    )


def wrk_run(binary: Path, url: str, headers: dict, clients: int, seconds: int) -> dict:
    """`clients` keep-alive connections for `seconds` (wrk, one thread): p50/p99 in ms, the
    requests answered and the answers that were not 2xx/3xx."""
    import re

    libs = binary.parent.parent / "lib" / "x86_64-linux-gnu"
    env = {**os.environ, "LD_LIBRARY_PATH": str(libs)}
    command = [str(binary), "-t1", f"-c{clients}", f"-d{seconds}s", "--latency", "--timeout", "60s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], env=env, capture_output=True, text=True,
                         timeout=seconds + 120).stdout  # fmt: skip
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}

    def latency(percent: str):
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        return round(float(found.group(1)) * units[found.group(2)], 1) if found else None

    requests = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"p50_ms": latency(50), "p99_ms": latency(99),
            "requests": int(requests.group(1)) if requests else 0,
            "errors": int(bad.group(1)) if bad else 0}  # fmt: skip


def pgbench_run(statements: list[str], db: str, clients: int, seconds: int) -> dict | None:
    """The request's statements as one transaction from `clients` connections for `seconds`,
    by `pgbench` (PostgreSQL's own load generator, in C: no client-side Python or GIL in the
    figure): p50/p99 in ms from its per-transaction log; None when pgbench is missing."""
    import shutil
    import tempfile

    binary = shutil.which("pgbench")
    if binary is None:
        return None
    with tempfile.TemporaryDirectory() as work:
        script = Path(work) / "request.sql"
        body = "".join(" ".join(sql.split()) + ";\n" for sql in statements)
        script.write_text("SET jit = off;\n" + body)  # as the app's connections
        command = [binary, "-h", "127.0.0.1", "-U", "postgres", "-n", "-c", str(clients),
                   "-j", "2", "-T", str(seconds), "-f", str(script), "--log",
                   "--log-prefix", str(Path(work) / "log"), db]  # fmt: skip
        subprocess.run(command, cwd=work, capture_output=True, check=True, timeout=seconds + 120)
        # each log line: client, transaction, latency in µs, …
        times = sorted(int(line.split()[2]) / 1000 for log in Path(work).glob("log*")
                       for line in log.read_text().splitlines())  # fmt: skip
    if not times:
        return None
    p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
    return {"p50_ms": round(times[len(times) // 2], 1), "p99_ms": round(p99, 1),
            "transactions": len(times)}  # fmt: skip
