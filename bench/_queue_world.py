"""The queue benchmark's world (bench_queue.py): 200 customers (a few large, many small),
20,000 sites, an agent and engineers, then the tickets at scale with their clocks and ladder
steps, written with COPY into the scratch database, indexed and analysed; or the world a kept
database already holds.

Open tickets carry what the urgency order reads: a phone-response clock (running, some past
due, some breached, some paused), for a third an on-site clock, and three pending ladder
steps; resolved and closed ones a met clock."""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from _scratch import emit  # noqa: E402


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
