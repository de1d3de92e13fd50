"""Shared by the benchmarks: a scratch PostgreSQL database of their own, JSON output, SQL
on Django's connection, a free port, what the machine and a process use (Linux /proc), and
a program from a Debian package unpacked under var/bench."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


def emit(**fields) -> None:
    """One figure as one JSON line."""
    print(json.dumps(fields, ensure_ascii=False), flush=True)


def admin_connect():
    import psycopg

    return psycopg.connect(dbname="postgres", connect_timeout=3, autocommit=True, **PG)


def recreate_database(name: str) -> bool:
    """Drop and create `name`; False when PostgreSQL cannot be reached."""
    import psycopg

    try:
        with admin_connect() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
    except psycopg.OperationalError:
        return False
    return True


def drop_database(name: str) -> None:
    with admin_connect() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def sql(query: str, params=None) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def scalar(query: str, params=None):
    return sql(query, params)[0][0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process of this machine has used so far (Linux /proc)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_jiffies() -> tuple[int, int] | None:
    """(busy, total) CPU time of the whole machine so far, from /proc/stat (Linux)."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except OSError:
        return None
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def process_cpu() -> dict[int, tuple[str, float]]:
    """CPU seconds so far of every process, with its command line (Linux /proc)."""
    snapshot = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        snapshot[int(entry.name)] = (command, process_cpu_seconds(int(entry.name)))
    return snapshot


def busiest_others(
    before: dict, after: dict, seconds: float, ours: set[int], *, exclude: str = ""
) -> list:
    """The processes not ours (nor with `exclude` in their command line, e.g. our scratch
    database's backends) that used the most CPU between two snapshots, in cores."""
    used = [
        (round((after[pid][1] - cpu) / seconds, 2), command[:70])
        for pid, (command, cpu) in before.items()
        if pid in after and pid not in ours and not (exclude and exclude in command)
    ]
    return [[command, cores] for cores, command in sorted(used, reverse=True)[:3] if cores > 0.02]


def peak_rss_kb(pid: int) -> int:
    """The peak resident set size of a process so far (VmHWM), in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def debian_binary(
    package: str, path: str, *, under: str, also: tuple[str, ...] = ()
) -> Path | None:
    """`path` inside Debian's `package` unpacked under var/bench/`under`, fetched once (with
    the packages `also` it needs) by `apt-get download` and unpacked with `dpkg -x`; None
    when it cannot be had."""
    home = ROOT / "var" / "bench" / under
    binary = home / path
    if binary.exists():
        return binary
    download = Path(tempfile.mkdtemp(prefix=f"{under}-deb-"))
    home.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            ["apt-get", "download", package, *also],
            cwd=download, check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        for deb in download.glob("*.deb"):
            subprocess.run(["dpkg", "-x", str(deb), str(home)], check=True, capture_output=True)
    except (OSError, subprocess.SubprocessError):
        return None
    finally:
        shutil.rmtree(download, ignore_errors=True)
    return binary if binary.exists() else None
