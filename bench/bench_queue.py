"""Benchmark of the ticket queue at scale (issue 12 #2): the queue API and the queue page on
PostgreSQL with 1,000,000 tickets (10 % open) over 200 customers and 20,000 sites, 16
concurrent clients.

Run from the project root: `.venv/bin/python bench/bench_queue.py [--tickets 1000000]`.

Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth); without it, prints a
"skipped" line and exits 0. Works in its own scratch database (`weibao_bench_queue`, or
BENCH_QUEUE_DB; dropped and recreated at the start, dropped at the end unless `--keep`;
`--load-only` loads and keeps it, `--reuse` measures a kept one). Prints one JSON line each:

* `queue.setup` — rows written (COPY), the time to write them, to fill their urgency key
  (the data migration `tickets/0009`) and to build the trigram indexes;
* `queue.api` / `queue.page` — per query: p50/p99 of `GET /api/tickets/?…` and of
  `GET /tickets/?…` on a real `weibao serve` (Waitress, 16 threads) from `--clients` client
  threads, the same statements in raw SQL (the count and the page's rows, captured from one
  request, run with psycopg from as many threads), the ratios, and whether the targets are met
  (API p99 ≤ 50 ms, page p99 ≤ 150 ms, each ≤ 3× raw SQL p99).
  Each twice: from `--clients` Python threads in this process (`load: python`, the figures of
  earlier runs), then from `wrk` (`load: wrk`, a load generator in C fetched with
  `apt-get download`; `--no-wrk` leaves it out), with the server's CPU time per request
  (`server_cpu_ms`, from /proc) — a figure far less sensitive to a shared machine than
  latency — and the Python client's own (`client_cpu_ms`);
* `queue.cpu.api` / `queue.cpu.page` — the CPU time of one request in process, one at a time
  (median of 20; `--reuse --cpu-only N` measures only these, without a server);
* `queue.server` — peak RSS of the server process (VmHWM).

The queries: the default queue (open, by urgency), a search by a caller's phone (8 digits),
a Chinese substring of the phenomenon, a filter by site, and page 50 of a filter (one large
customer's tickets, newest first, reached by its keyset cursor).

Open tickets carry what the urgency order reads: a phone-response clock (running, some past
due, some breached, some paused), for a third an on-site clock, and three pending ladder
steps; resolved and closed ones a met clock. Exits 1 when a request fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from _scratch import (
    PG,
    drop_database,
    emit,
    free_port,
    peak_rss_kb,
    process_cpu_seconds,
    recreate_database,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")

# BENCH_QUEUE_DB lets two runs (or a run and a kept database being profiled) work side by side.
DB_NAME = os.environ.get("BENCH_QUEUE_DB", "weibao_bench_queue")
DB_URL = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{DB_NAME}"
TARGET_API_P99_MS = 50
TARGET_PAGE_P99_MS = 150
TARGET_RATIO = 3.0


def _words(text: str) -> list[str]:
    return text.split()


DEVICES = _words(
    "摄像机 硬盘录像机 存储服务器 交换机 光端机 编码器 解码器 "
    "门禁控制器 烟感探测器 精密空调 蓄电池组 不间断电源 传输设备 路由器 "
    "防火墙 视频平台 监控工作站 拼接屏 球机 网络机柜"
)
SYMPTOMS = _words(
    "无图像 通讯中断 硬盘告警 频繁重启 无法登录 画面卡顿 掉线 温度过高 "
    "电源故障 风扇异常 录像丢失 时间不同步 端口不通 配置丢失 报警误报 "
    "链路抖动 指示灯异常 无法开机 噪音过大 数据不上报"
)
PLACES = _words(
    "鼓楼 玄武 秦淮 建邺 雨花台 栖霞 江宁 浦口 六合 溧水 高淳 仙林 "
    "河西 城南 新街口 迈皋桥 江北 汤山 禄口 板桥"
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
TITLES = ["工", "主任", "值班员", "经理", "师傅"]
FAR_FUTURE = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)  # no deadline (weibao.sla.urgency)
OPEN_STAGES = ["new", "phone_support", "remote_support", "onsite_support", "expert_remote",
               "emergency"]  # fmt: skip


def _copy(table: str, rows) -> int:
    """COPY dicts into `table`; NOT NULL columns a row leaves out get their type's zero."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, is_nullable, data_type FROM information_schema.columns "
            "WHERE table_name = %s AND is_generated = 'NEVER' ORDER BY ordinal_position",
            [table],
        )
        columns = cursor.fetchall()
    zero = {"boolean": False, "integer": 0, "smallint": 0, "bigint": 0, "jsonb": "{}",
            "numeric": 0, "double precision": 0.0}  # fmt: skip
    names = [name for name, _n, _t in columns]
    fill = {
        name: (None if nullable == "YES" else zero.get(kind, ""))
        for name, nullable, kind in columns
    }
    count = 0
    cols = ", ".join(f'"{c}"' for c in names)
    with connection.cursor() as cursor:
        # The rows are generated consistent; skip the per-row foreign-key triggers (superuser).
        cursor.execute("SET session_replication_role = replica")
        with cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row.get(name, fill[name]) for name in names])
                count += 1
        cursor.execute("SET session_replication_role = DEFAULT")
    return count


def _sync_sequence(table: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )


def make_world(args, now: dt.datetime) -> dict:
    """200 customers (a few large, many small), 20,000 sites, agents and engineers, then the
    tickets with their clocks and ladder steps (COPY), indexed and analysed."""
    from django.apps import apps as django_apps
    from django.db import connection

    from weibao.accounts.choices import Role
    from weibao.contracts.policy import default_policy
    from weibao.sites.models import Site
    from weibao.tenancy.models import Customer
    from weibao.testing import factories as f

    rng = random.Random(12)
    point = f.ServicePointFactory()
    provider = point.provider
    customers = Customer.objects.bulk_create(
        Customer(provider=provider, name=f"{PLACES[i % 20]}通信{i:03d}公司", code=f"C{i:03d}")
        for i in range(args.customers)
    )
    sites = Site.objects.bulk_create(
        f.SiteFactory.build(
            customer=customers[i % args.customers], service_point=point,
            name=f"{PLACES[i % 20]}{i:05d}号端局", code=f"S{i:05d}",
        )
        for i in range(args.sites)
    )  # fmt: skip
    agent = f.UserFactory(provider=provider, username="bench-agent", roles=[Role.SUPPORT_AGENT])
    engineers = [
        f.UserFactory(provider=provider, username=f"bench-eng-{i}", roles=[Role.ENGINEER])
        for i in range(20)
    ]
    # A realistic spread: customer k gets weight 1/(k+1)^0.8 (a few big operators, a long tail).
    weights = [1 / (k + 1) ** 0.8 for k in range(args.customers)]
    sites_of = {c.pk: [] for c in customers}
    for site in sites:
        sites_of[site.customer_id].append(site.pk)
    customer_ids = [c.pk for c in customers]
    policy = json.dumps(default_policy().to_dict(), ensure_ascii=False)

    drops = _trigram_sql("drop_sql")
    with connection.cursor() as cursor:
        for statement in drops:
            cursor.execute(statement)

    started = time.perf_counter()
    n = args.tickets
    chosen = rng.choices(customer_ids, weights=weights, k=n)
    plan = []  # (pk, customer, open, level, reported)
    span = 3 * 365 * 24 * 3600

    def tickets():
        for i in range(n):
            pk = i + 1
            customer = chosen[i]
            is_open = i % 10 == 0
            if is_open:
                reported = now - dt.timedelta(seconds=rng.randint(60, 30 * 24 * 3600))
                stage = OPEN_STAGES[rng.randrange(len(OPEN_STAGES))]
            else:
                reported = now - dt.timedelta(seconds=rng.randint(3600, span))
                stage = "resolved" if i % 20 == 1 else "closed"
            r = rng.random()
            level = "L1" if r < 0.02 else "L2" if r < 0.2 else "L3" if r < 0.7 else "L4"
            request_type = "fault"
            if r > 0.9:
                level, request_type = "", "consultation"
            plan.append((pk, is_open, level, reported))
            yield {
                "id": pk, "created_at": reported, "updated_at": reported,
                "number": f"WB{reported:%y%m%d}-{pk:07d}", "customer_id": customer,
                "site_id": rng.choice(sites_of[customer]), "channel": "phone",
                "request_type": request_type, "level": level,
                "fault_phenomenon": f"{PLACES[rng.randrange(20)]}{rng.randrange(1000)}号机房"
                f"{DEVICES[rng.randrange(20)]}{SYMPTOMS[rng.randrange(20)]}，请尽快处理",
                "reported_at": reported,
                "contact_name": SURNAMES[rng.randrange(len(SURNAMES))] + rng.choice(TITLES),
                "contact_phone": f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
                "stage": stage, "policy": policy, "created_by_id": agent.pk,
                "assigned_engineer_id": engineers[pk % 20].pk if pk % 3 else None,
                "resolved_at": None if is_open else reported + dt.timedelta(hours=3),
                "closed_at": reported + dt.timedelta(hours=30) if stage == "closed" else None,
                "service_point_id": point.pk, "urgency_at": FAR_FUTURE,
            }  # fmt: skip

    counts = {"tickets": _copy("tickets_ticket", tickets())}

    def clocks():
        pk = 0
        for ticket, is_open, _level, reported in plan:
            kinds = ["phone_response"] + (["onsite_response"] if ticket % 3 == 0 else [])
            for kind in kinds:
                pk += 1
                row = {"id": pk, "ticket_id": ticket, "kind": kind, "budget_minutes": 30,
                       "started_at": reported}  # fmt: skip
                if not is_open:
                    row |= {"due_at": reported + dt.timedelta(minutes=30), "state": "met",
                            "met_at": reported + dt.timedelta(minutes=10)}  # fmt: skip
                    yield row
                    break  # closed tickets: one clock is enough to size the table
                r = rng.random()
                due = now + dt.timedelta(minutes=rng.randint(-600, 900))
                if r < 0.05:
                    row |= {"state": "paused", "due_at": None, "paused_at": now}
                elif due < now - dt.timedelta(hours=1):
                    row |= {"state": "breached", "due_at": due, "breached_at": due}
                else:
                    row |= {"state": "running", "due_at": due}
                yield row

    def steps():
        pk = 0
        for ticket, is_open, level, _reported in plan:
            if not is_open:
                continue
            for k in range(3):
                pk += 1
                yield {"id": pk, "ticket_id": ticket, "level": level or "L3",
                       "after_minutes": 60 * (k + 1), "target": "field_engineer",
                       "due_at": now + dt.timedelta(minutes=rng.randint(-5, 24 * 60)),
                       "kind": "ladder"}  # fmt: skip

    counts["clocks"] = _copy("sla_clock", clocks())
    counts["steps"] = _copy("escalations_escalationstep", steps())
    for table in ("tickets_ticket", "sla_clock", "escalations_escalationstep"):
        _sync_sequence(table)
    written = time.perf_counter() - started
    # The urgency key of the tickets with deadlines, by the data migration that fills it for
    # existing rows (`tickets/0009`): its time at this size is a figure of its own.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    _migration("0009_queue_urgency_key").fill(django_apps, None)
    filled = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in _trigram_sql("create_sql"):
            cursor.execute(statement)
        cursor.execute("VACUUM ANALYZE")
    indexed = time.perf_counter() - started
    emit(bench="queue.setup", **counts, open=n // 10 + (1 if n % 10 else 0),
         customers=args.customers, sites=args.sites, write_s=round(written, 1),
         urgency_fill_s=round(filled, 1), index_s=round(indexed, 1),
         note="COPY; urgency key by the 0009 data migration; trigram indexes built after "
              "the load")  # fmt: skip
    big = max(customer_ids, key=lambda c: weights[customer_ids.index(c)])
    sample = rng.choice([p for p in plan if p[1]])[0]
    return {"agent": agent, "big_customer": big, "sample_ticket": sample, "sites": sites}


def kept_world() -> dict:
    from django.db.models import Count

    from weibao.accounts.models import User
    from weibao.tickets.models import Ticket

    big = Ticket.objects.values("customer").annotate(n=Count("id")).order_by("-n").first()
    return {
        "agent": User.objects.get(username="bench-agent"),
        "big_customer": big["customer"],
        "sample_ticket": Ticket.objects.filter(pk__gt=1000).open().order_by("pk").first().pk,
        "tickets": Ticket.objects.count(),
    }


def _migration(name: str):
    import importlib

    return importlib.import_module(f"weibao.tickets.migrations.{name}")


def _trigram_sql(name: str) -> list[str]:
    return getattr(_migration("0006_queue_search_trigram"), name)()


def queries(world) -> dict[str, str]:
    """Query strings, the same for the API and the page."""
    from weibao.tickets.models import Ticket

    ticket = Ticket.objects.get(pk=world["sample_ticket"])
    phone = ticket.contact_phone[3:]  # 8 digits of the caller's number
    phrase = f"{DEVICES[3]}{SYMPTOMS[1]}"  # 交换机通讯中断: about 1 ticket in 400
    return {
        "default_queue": "state=open&ordering=urgency",
        "caller_phone": f"state=all&ordering=urgency&search={phone}",
        "chinese_phenomenon": f"state=all&ordering=urgency&search={urllib.parse.quote(phrase)}",
        "site": f"state=all&ordering=urgency&site={ticket.site_id}",
        "filter_page_50": f"state=all&ordering=-reported_at&customer={world['big_customer']}",
    }


def page_50_cursor(query: str, user) -> tuple[str, int]:
    """Walk 49 keyset pages of `query` (in process) for the cursor of page 50 (or of the last
    page, on a smaller run); returns the cursor and the page number."""
    from urllib.parse import parse_qsl

    from weibao.tickets import queue
    from weibao.tickets.filtersets import TicketQueueFilter
    from weibao.tickets.models import Ticket

    class Request:
        pass

    request = Request()
    request.user = user
    data = dict(parse_qsl(query))
    cursor, number = "", 1
    for _ in range(49):
        filters = TicketQueueFilter(data, queryset=Ticket.objects.visible_to(user), request=request)
        assert filters.is_valid(), filters.errors
        page = queue.page(filters.qs, data["ordering"], cursor=cursor)
        if not page.next_cursor:
            break
        cursor, number = page.next_cursor, number + 1
    return cursor, number


def capture_sql(path: str, user) -> list[tuple[str, tuple]]:
    """The statements reading tickets_ticket (the count and the page's rows) of one request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    statements = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if 'FROM "tickets_ticket"' in sql and "sessions" not in sql:
            statements.append(sql)
    return statements


def wsgi_caller(path: str, headers: dict):
    """`GET path` through Django's WSGI handler in this process, as `weibao serve` calls it
    (no test client, no socket): a call returns the status."""
    import io

    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    route, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": urllib.parse.unquote(route),
        "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1", "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "SERVER_PROTOCOL": "HTTP/1.1",
    }  # fmt: skip
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value

    def call() -> str:
        answered = []
        body = handler(dict(environ, **{"wsgi.input": io.BytesIO()}),
                       lambda status, _headers: answered.append(status))  # fmt: skip
        b"".join(body)
        getattr(body, "close", lambda: None)()
        return answered[0]

    return call


def cpu_per_request(path: str, headers: dict, requests: int) -> dict:
    """CPU time (this process: Python and the database driver, not PostgreSQL) of one request,
    one at a time, in process: far less sensitive to a shared machine than latency under load.
    Also the wall time, and PostgreSQL's part as what is left (one client: no queueing here)."""
    call = wsgi_caller(path, headers)
    status = call()  # warm: templates, URL resolvers, connection
    if not status.startswith("200"):
        raise RuntimeError(f"{path}: {status}")
    cpu, wall = [], []
    for _ in range(requests):
        began_cpu, began = time.process_time(), time.perf_counter()
        call()
        cpu.append(time.process_time() - began_cpu)
        wall.append(time.perf_counter() - began)
    return {
        "cpu_ms": round(statistics.median(cpu) * 1000, 2),
        "wall_ms": round(statistics.median(wall) * 1000, 2),
    }


def percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    p99 = samples[min(len(samples) - 1, round(0.99 * (len(samples) - 1)))]
    return round(statistics.median(samples) * 1000, 1), round(p99 * 1000, 1)


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
    home = ROOT / "var" / "bench" / "wrk"
    binary = home / "usr" / "bin" / "wrk"
    if not binary.exists():
        import shutil
        import tempfile

        download = Path(tempfile.mkdtemp(prefix="wrk-deb-"))
        home.mkdir(parents=True, exist_ok=True)
        try:
            subprocess.run(
                ["apt-get", "download", "wrk", "libluajit-5.1-2", "libluajit-5.1-common"],
                cwd=download, check=True, capture_output=True, timeout=300,
            )  # fmt: skip
            for deb in download.glob("*.deb"):
                subprocess.run(["dpkg", "-x", str(deb), str(home)], check=True,
                               capture_output=True)  # fmt: skip
        except (OSError, subprocess.SubprocessError):
            return None
        finally:
            shutil.rmtree(download, ignore_errors=True)
    return binary if binary.exists() else None


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


def raw_sql_call(statements: list[str]):
    import psycopg

    local = threading.local()

    def call():
        if not hasattr(local, "conn"):
            local.conn = psycopg.connect(dbname=DB_NAME, autocommit=True, **PG)
            local.conn.execute("SET jit = off")  # as the app's connections (weibao.settings)
        for sql in statements:
            local.conn.execute(sql).fetchall()

    return call


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--sites", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=20, help="requests per client per query")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument(
        "--reuse", action="store_true", help="measure a database kept by --keep (no load)"
    )
    parser.add_argument("--no-wrk", action="store_true", help="the Python load generator only")
    parser.add_argument("--wrk-seconds", type=int, default=10, help="wrk's run per query")
    parser.add_argument(
        "--cpu-only",
        type=int,
        default=0,
        metavar="N",
        help="with --reuse: only the CPU of one request (median of N, in process), no server",
    )
    parser.add_argument(
        "--load-only", action="store_true", help="load and keep the database, measure nothing"
    )
    args = parser.parse_args()

    if args.load_only:
        args.keep = True
    if args.reuse:
        args.keep = True
    elif not recreate_database(DB_NAME):
        emit(bench="queue", skipped="no PostgreSQL")
        return 0
    os.environ["WEIBAO_DATABASE_URL"] = DB_URL
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from weibao.core import clock

    status = 0
    server = None
    try:
        if args.reuse:
            world = kept_world()
            args.tickets = world["tickets"]
        else:
            call_command("migrate", verbosity=0)
            world = make_world(args, clock.now())
            if args.load_only:
                return status
        agent = world["agent"]
        token = Token.objects.get_or_create(user=agent)[0].key
        query_strings = queries(world)
        cursor, page_number = page_50_cursor(query_strings["filter_page_50"], agent)
        query_strings["filter_page_50"] += f"&cursor={cursor}"
        raw = {
            name: capture_sql(f"/api/tickets/?{qs}", agent) for name, qs in query_strings.items()
        }
        from django.test import Client

        browser = Client(HTTP_HOST="127.0.0.1")
        browser.force_login(agent)
        session = browser.cookies["sessionid"].value
        api_headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
        page_headers = {"Cookie": f"sessionid={session}"}
        for name, qs in query_strings.items():
            for kind, path, headers in [
                ("api", "/api/tickets/", api_headers),
                ("page", "/tickets/", page_headers),
            ]:
                emit(bench=f"queue.cpu.{kind}", query=name, tickets=args.tickets,
                     requests=args.cpu_only or 20,
                     **cpu_per_request(f"{path}?{qs}", headers, args.cpu_only or 20))  # fmt: skip
        if args.cpu_only:
            return status
        connection.close()

        port = free_port()
        env = {**os.environ, "WEIBAO_DATABASE_URL": DB_URL, "WEIBAO_LOG_LEVEL": "WARNING"}
        server = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--port", str(port), "--no-worker",
             "--threads", str(args.clients)],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        _wait_for(base + "/api/tickets/?page_size=1", api_headers, server)

        wrk = None if args.no_wrk else wrk_binary()
        for name, qs in query_strings.items():
            raw_times, _raw_errors = hammer(args.clients, args.rounds, raw_sql_call(raw[name]))
            raw_p50, raw_p99 = percentiles(raw_times)
            for kind, path, headers, target in [
                ("api", "/api/tickets/", api_headers, TARGET_API_P99_MS),
                ("page", "/tickets/", page_headers, TARGET_PAGE_P99_MS),
            ]:
                url = f"{base}{path}?{qs}"
                http_get(url, headers)  # warm
                # The load from Python client threads (this process): the figures of earlier
                # runs; on two cores their own CPU competes with the server's.
                cpu_before, own_before = process_cpu_seconds(server.pid), time.process_time()
                times, errors = hammer(args.clients, args.rounds, lambda u=url, h=headers: (
                    http_get(u, h)))  # fmt: skip
                server_cpu = process_cpu_seconds(server.pid) - cpu_before
                client_cpu = time.process_time() - own_before
                if errors or not times:
                    status = 1
                p50, p99 = percentiles(times) if times else (None, None)
                figures = {
                    "bench": f"queue.{kind}", "query": name, "tickets": args.tickets,
                    "clients": args.clients, "load": "python",
                    "requests": len(times), "errors": len(errors),
                    "first_error": errors[0] if errors else None,
                    "p50_ms": p50, "p99_ms": p99,
                    "server_cpu_ms": round(server_cpu / max(len(times), 1) * 1000, 1),
                    "client_cpu_ms": round(client_cpu / max(len(times), 1) * 1000, 1),
                    "raw_sql_p50_ms": raw_p50, "raw_sql_p99_ms": raw_p99,
                    "raw_statements": len(raw[name]),
                    "page": page_number if name == "filter_page_50" else 1,
                    "target_p99_ms": target,
                }  # fmt: skip
                emit(**figures, **_verdict(p50, p99, raw_p50, raw_p99, target))
                if wrk is None:
                    continue
                # The same load from wrk (C): what the server does when the load generator
                # takes next to no CPU.
                cpu_before = process_cpu_seconds(server.pid)
                answer = wrk_run(wrk, url, headers, args.clients, args.wrk_seconds)
                server_cpu = process_cpu_seconds(server.pid) - cpu_before
                if answer["errors"] or not answer["requests"]:
                    status = 1
                p50, p99 = answer["p50_ms"], answer["p99_ms"]
                emit(**{**figures, "load": "wrk", "requests": answer["requests"],
                        "errors": answer["errors"], "first_error": None,
                        "p50_ms": p50, "p99_ms": p99, "client_cpu_ms": None,
                        "server_cpu_ms": round(server_cpu / max(answer["requests"], 1) * 1000,
                                               1)},
                     **_verdict(p50, p99, raw_p50, raw_p99, target))  # fmt: skip
        if wrk is None and not args.no_wrk:
            emit(bench="queue.wrk", skipped="wrk unavailable (apt-get download failed)")
        emit(bench="queue.server", peak_rss_mb=round(peak_rss_kb(server.pid) / 1024, 1),
             threads=args.clients)  # fmt: skip
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        connection.close()
        if not args.keep:
            drop_database(DB_NAME)
    return status


def _verdict(p50, p99, raw_p50, raw_p99, target) -> dict:
    return {
        "ratio_p50": round(p50 / raw_p50, 2) if p50 and raw_p50 else None,
        "ratio_p99": round(p99 / raw_p99, 2) if p99 and raw_p99 else None,
        "ok": bool(p99 is not None and p99 <= target and p99 <= TARGET_RATIO * raw_p99),
    }


def _wait_for(url: str, headers: dict, server) -> None:
    deadline = time.time() + 300  # a loaded 2-core machine starts Django slowly
    while True:
        try:
            http_get(url, headers)
            return
        except (urllib.error.URLError, ConnectionError):
            if time.time() > deadline or server.poll() is not None:
                error = server.stderr.read()[-2000:] if server.poll() is not None else ""
                raise RuntimeError(f"weibao serve did not come up {error}") from None
            time.sleep(0.3)


if __name__ == "__main__":
    sys.exit(main())
