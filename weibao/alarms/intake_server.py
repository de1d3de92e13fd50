"""The lean alarm intake process: the hot path of HTTP alarm intake on PostgreSQL, for a
monitoring platform sending tens of thousands of alerts a second (issue 13, ADR
docs/adr/alarm-intake-process.md).

It answers the same addresses as the Django views — `POST /api/v2/alerts` (Alertmanager-
compatible) and `POST /api/alarms/<kind>/<source>/` — with the same rules, imported from where
they live: credentials (`services.credentials`), reading and validating the body with the
source's parser (`services.reading`), the error envelope. What it does not do is apply the
alarms: it stores each accepted delivery as a pending `RawDelivery` and answers 2xx once that
is committed; the runner applies it (`alarms.apply`, `services.pending`) with the same upsert
as a synchronous delivery. 400 for a malformed body (nothing stored), 401/403 as the views,
503 when the commit fails (the sender retries).

Lean: uvicorn with httptools serving a raw ASGI app, psycopg 3 for the database, and no
Django app registry (no `django.setup()`, no ORM: about a third of the memory). Concurrent
requests queue their rows; one writer inserts everything queued in one statement and commits
once (group commit, one fsync for many requests), then answers them all. The sources are
kept in memory and read again every `SOURCE_CACHE_TTL` (as the views' token lookup): a source
added, changed or disabled in the admin takes effect here within that time.

Run it with `weibao alarms intake --port 9094`, or let `weibao serve --intake-port 9094` (or
WEIBAO_ALARM_INTAKE_PORT) start it next to the web server."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import logging
import re
import signal
import socket
import sys
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from django.conf import settings
from django.utils.translation import gettext as _

from weibao.alarms.choices import SourceKind
from weibao.alarms.formats import Malformed
from weibao.alarms.formats.b_interface import ack
from weibao.alarms.formats.registry import PARSERS
from weibao.alarms.services import credentials
from weibao.alarms.services.reading import read
from weibao.api.envelope import envelope
from weibao.core import clock

log = logging.getLogger("weibao.alarms.intake")

# The tables it writes, as the models name them (a test holds them equal).
DELIVERY_TABLE = "alarms_rawdelivery"
SOURCE_TABLE = "alarms_alarmsource"
GROUP_MAX = 500  # deliveries committed together at most
ERROR_MAX = 500  # as `services.receive.ERROR_MAX`
RETRY_AFTER_SECONDS = "5"
# The kinds with an address of their own (the views' `urls.KINDS`).
ADDRESSED_KINDS = frozenset(PARSERS) - {SourceKind.AM_API}

_API_ALERTS = re.compile(r"^/api/v2/alerts/?$")
_SOURCE_ADDRESS = re.compile(r"^/api/alarms/(?P<kind>[a-z-]+)/(?P<slug>[-\w]+)/?$")

# One statement, so one round trip and its own commit: the deliveries inserted in the order
# queued, and the sources' health counters (as `intake.count_received`: add the deliveries,
# keep the latest time) in the same commit. Binary parameters (%b): the bodies go as they are
# (the text array format would escape every quote of a JSON body, in Python).
_STORE = f"""
WITH stored AS (
    INSERT INTO {DELIVERY_TABLE}
        (source_id, received_at, body, content_type, remote, alarms, pending)
    SELECT s, r, b, c, m, a, true
    FROM unnest(%b::bigint[], %b::timestamptz[], %b::text[], %b::text[], %b::text[], %b::int[])
         AS t(s, r, b, c, m, a)
    RETURNING 1
)
UPDATE {SOURCE_TABLE} AS s
SET received = s.received + v.n,
    last_received_at = GREATEST(s.last_received_at, v.at)
FROM unnest(%b::bigint[], %b::int[], %b::timestamptz[]) AS v(id, n, at)
WHERE s.id = v.id
"""
_NOTE = f"""
UPDATE {SOURCE_TABLE} SET {{counter}} = {{counter}} + 1, last_error = %s WHERE id = %s
"""
_SOURCES = f"""
SELECT id, kind, slug, enabled, token, hmac_secret, mapping, resolve_timeout
FROM {SOURCE_TABLE}
"""


class Unavailable(Exception):
    """The delivery could not be committed."""


@dataclass(frozen=True)
class Source:
    """What intake needs of an `AlarmSource` (credentials and parsers read these fields)."""

    id: int
    kind: str
    slug: str
    enabled: bool
    token: str
    hmac_secret: str
    mapping: dict
    resolve_timeout: dt.timedelta

    @property
    def pk(self) -> int:
        return self.id


@dataclass
class Sources:
    """Every source, by token (for /api/v2/alerts) and by address (kind, slug)."""

    by_token: dict[tuple[str, str], Source] = field(default_factory=dict)
    by_address: dict[tuple[str, str], Source] = field(default_factory=dict)

    @classmethod
    def of(cls, rows) -> Sources:
        table = cls()
        for row in rows:
            source = Source(*row)
            table.by_address[(source.kind, source.slug)] = source
            if source.token:
                table.by_token[(source.token, source.kind)] = source
        return table

    def find(self, token: str, kind: str) -> Source | None:
        return self.by_token.get((token, kind))


class _Headers(dict):
    """Request headers as `credentials` reads them (`headers.get(name)`, any case)."""

    def get(self, name, default=None):
        return super().get(name.lower(), default)


class _Request:
    """The parts of a request `credentials` reads: `headers` and `GET`."""

    __slots__ = ("_query", "headers")

    def __init__(self, headers: _Headers, query: bytes):
        self.headers = headers
        self._query = query

    @property
    def GET(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(self._query.decode("latin-1")).items()}


def connection_kwargs() -> dict:
    """psycopg's connection arguments from the Django database settings."""
    from django.db import connections

    settings = connections["default"].settings_dict
    if "postgresql" not in settings["ENGINE"]:
        raise RuntimeError("the lean alarm intake process needs PostgreSQL")
    kwargs = {
        "dbname": settings["NAME"],
        "user": settings.get("USER") or None,
        "password": settings.get("PASSWORD") or None,
        "host": settings.get("HOST") or None,
        "port": settings.get("PORT") or None,
        "application_name": "weibao-alarm-intake",
    }
    options = (settings.get("OPTIONS") or {}).get("options")
    if options:
        kwargs["options"] = options
    return {k: v for k, v in kwargs.items() if v is not None}


class Intake:
    """The ASGI application: its writer, its source table and its answers."""

    def __init__(self, *, connect: dict | None = None, refresh_seconds: float | None = None):
        self.connect = connect
        self.refresh_seconds = refresh_seconds or credentials.SOURCE_CACHE_TTL.total_seconds()
        self.sources = Sources()
        self.queue: asyncio.Queue | None = None
        self.tasks: list[asyncio.Task] = []
        self.writer = None  # the writer's connection
        self.side = None  # sources and counters of refusals
        self.on_start: list = []  # more tasks to run while serving (coroutine functions)

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        import psycopg

        self.connect = self.connect or connection_kwargs()
        self.queue = asyncio.Queue()
        self.side = await psycopg.AsyncConnection.connect(**self.connect, autocommit=True)
        await self.refresh()
        self.tasks = [
            asyncio.create_task(self._write_forever(), name="alarm-intake-writer"),
            asyncio.create_task(self._refresh_forever(), name="alarm-intake-sources"),
            *(asyncio.create_task(task()) for task in self.on_start),
        ]

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for conn in (self.writer, self.side):
            if conn is not None:
                await conn.close()

    async def refresh(self) -> None:
        async with self.side.cursor() as cursor:
            await cursor.execute(_SOURCES)
            self.sources = Sources.of(await cursor.fetchall())

    async def _refresh_forever(self) -> None:
        while True:
            await asyncio.sleep(self.refresh_seconds)
            try:
                await self.refresh()
            except Exception:  # the database away: keep the last table, try again
                log.warning("could not read the alarm sources", exc_info=True)
                await self._reconnect_side()

    async def _reconnect_side(self) -> None:
        import psycopg

        with contextlib.suppress(Exception):
            await self.side.close()
        with contextlib.suppress(psycopg.Error):
            self.side = await psycopg.AsyncConnection.connect(**self.connect, autocommit=True)

    # ------------------------------------------------------------------ group commit

    async def store(self, row: tuple) -> None:
        """Queue one delivery's row and return once it is committed (raises Unavailable)."""
        done = asyncio.get_running_loop().create_future()
        self.queue.put_nowait((row, done))
        await done

    async def _write_forever(self) -> None:
        while True:
            group = [await self.queue.get()]
            while len(group) < GROUP_MAX and not self.queue.empty():
                group.append(self.queue.get_nowait())
            try:
                await self._commit([row for row, _done in group])
            except Exception as error:  # whatever it is, these deliveries are not stored
                # (a connection lost during the commit may still have committed them: the
                # sender retries, and a re-delivery is idempotent)
                log.warning("alarm intake: commit failed: %s", error)
                failure = Unavailable(str(error).strip().splitlines()[0] if str(error) else "")
                for _row, done in group:
                    if not done.done():
                        done.set_exception(failure)
                if self.writer is not None and not self.writer.closed:
                    with contextlib.suppress(Exception):
                        await self.writer.close()
                self.writer = None
                continue
            for _row, done in group:
                if not done.done():
                    done.set_result(None)

    async def _commit(self, rows: list[tuple]) -> None:
        import psycopg

        if self.writer is None:
            self.writer = await psycopg.AsyncConnection.connect(**self.connect, autocommit=True)
        counts: dict[int, list] = {}
        for source_id, received_at, *_rest in rows:
            count = counts.setdefault(source_id, [0, received_at])
            count[0] += 1
            count[1] = max(count[1], received_at)
        ids = sorted(counts)  # counter rows locked in id order, as everywhere
        columns = [list(column) for column in zip(*rows, strict=True)]
        counted = [ids, [counts[i][0] for i in ids], [counts[i][1] for i in ids]]
        await self.writer.execute(_STORE, [*columns, *counted])  # autocommit: committed here

    async def note(self, source: Source, counter: str, message: str) -> None:
        """One more rejected or failed delivery on the source's counters (logged on failure)."""
        try:
            await self.side.execute(
                _NOTE.format(counter=counter), [str(message)[:ERROR_MAX], source.id]
            )
        except Exception:
            log.warning("could not count a %s delivery of alarm source %s", counter, source.id)
            await self._reconnect_side()

    # ------------------------------------------------------------------ HTTP

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        status, headers, body = await self.answer(scope, receive)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _lifespan(self, receive, send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.start()
                except Exception as error:
                    log.exception("alarm intake could not start")
                    await send({"type": "lifespan.startup.failed", "message": str(error)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def answer(self, scope, receive) -> tuple[int, list, bytes]:
        path = scope["path"]
        by_token = _API_ALERTS.match(path)
        address = None if by_token else _SOURCE_ADDRESS.match(path)
        if not by_token and not address:
            return _error(404, "not_found", _("未找到，或您无权查看。"))
        if scope["method"] != "POST":
            return _error(405, "method_not_allowed", _("请求失败。"))
        body = await _read_body(receive, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        if body is None:
            return _error(413, "too_large", _("请求内容过大。"))
        headers = _Headers(
            (name.decode("latin-1"), value.decode("latin-1")) for name, value in scope["headers"]
        )
        request = _Request(headers, scope.get("query_string", b""))
        if by_token:
            source, refusal = credentials.source_for_token(
                request, SourceKind.AM_API, find=self.sources.find
            )
            if refusal is not None:
                return _error(refusal.status, refusal.code, refusal.message)
        else:
            kind = address["kind"].replace("-", "_")
            source = self.sources.by_address.get((kind, address["slug"]))
            if source is None or kind not in ADDRESSED_KINDS:
                return _error(404, "not_found", _("没有这个告警来源。"))
        refusal = credentials.check(source, request, body)
        if refusal is not None:
            await self.note(source, "rejected", refusal.message)
            return _error(refusal.status, refusal.code, refusal.message)
        now = clock.now()
        content_type = headers.get("content-type", "").split(";")[0].strip()
        client = scope.get("client")
        try:
            delivery = read(
                source,
                body,
                content_type=content_type,
                remote=client[0] if client else "",
                now=now,
            )
        except Malformed as error:
            await self.note(source, "rejected", error.message)
            fields = {error.field: [error.message]} if error.field else {}
            return _error(400, error.code, error.message, fields)
        raw = delivery.raw
        row = (source.id, now, raw["body"], raw["content_type"], raw["remote"], len(delivery.items))
        try:
            await self.store(row)
        except Unavailable as error:
            await self.note(source, "errors", _("保存告警失败：%(error)s") % {"error": error})
            return _error(503, "unavailable", _("告警暂未保存，请稍后重试。"))
        if source.kind == SourceKind.B_INTERFACE:
            return 200, [(b"content-type", b"text/xml; charset=utf-8")], ack(ok=True)
        answer = {"status": "success", "alarms": len(delivery.items), "pending": True}
        return 200, [(b"content-type", b"application/json")], json.dumps(answer).encode()


async def _read_body(receive, limit: int | None) -> bytes | None:
    chunks, size = [], 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


def _error(status: int, code: str, message: str, fields: dict | None = None):
    """The API's error envelope (`weibao.api.envelope`), as the views answer it."""
    body = envelope(code, message, fields)
    headers = [(b"content-type", b"application/json")]
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="weibao-alarms"'))
    if status == 503:
        headers.append((b"retry-after", RETRY_AFTER_SECONDS.encode()))
    return status, headers, json.dumps(body, ensure_ascii=False).encode("utf-8")


def config(app: Intake, host: str, port: int):
    import uvicorn

    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http="httptools",
        loop="asyncio",  # uvloop measured no faster here (CPU is in parsing and psycopg)
        lifespan="on",
        access_log=False,
        log_level="warning",
        server_header=False,
        date_header=False,
    )


def command(
    host: str = "127.0.0.1",
    port: int | None = None,
    *,
    parent: int | None = None,
    processes: int | None = None,
) -> list[str]:
    """The command line of the lean process (for `weibao alarms intake`, `weibao serve`);
    with `parent`, it ends when that process does."""
    argv = [sys.executable, "-m", "weibao.alarms.intake_server", "--host", host]
    if port:
        argv += ["--port", str(port)]
    if processes:
        argv += ["--processes", str(processes)]
    return [*argv, "--parent", str(parent)] if parent else argv


async def _end_with(parent: int, server) -> None:
    """Stop `server` once `parent` has ended (killed, even with -9: this process is then
    adopted by another)."""
    while os.getppid() == parent:
        await asyncio.sleep(1)
    server.should_exit = True


def main(argv: list[str] | None = None) -> None:
    """`python -m weibao.alarms.intake_server --port 9094` (what `weibao alarms intake` runs).

    `--processes N` (WEIBAO_ALARM_INTAKE_PROCESSES) serves one listening socket from N
    processes, each with its own writer: one process is one core of Python. Deliveries of one
    source may then commit out of id order only when they were in flight together, which no
    sender orders either; a delivery sent after another was acknowledged always has the
    greater id and is applied after it."""
    parser = argparse.ArgumentParser(prog="weibao alarms intake")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("WEIBAO_ALARM_INTAKE_PORT") or 9094)
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=int(os.environ.get("WEIBAO_ALARM_INTAKE_PROCESSES") or 1),
        help="processes serving the port (default 1)",
    )
    parser.add_argument("--parent", type=int, help="end when this process ends")
    args = parser.parse_args(argv)
    if args.processes < 1:
        parser.error("--processes must be at least 1")
    # No app registry here, so no translation catalogues: answers are in the default
    # language (Chinese), as the views answer a sender that asks for none.
    settings.USE_I18N = False
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    print(f"Alarm intake (lean) on http://{args.host}:{args.port}/api/v2/alerts", flush=True)
    sockets = None
    children: list[int] = []
    if args.processes > 1:
        # One socket, bound before the fork: the kernel hands each connection to one process.
        sockets = [_listening_socket(args.host, args.port)]
        for _ in range(args.processes - 1):
            pid = os.fork()
            if pid == 0:  # a child: serve until stopped or until the first process ends
                _serve(args.host, args.port, parent=os.getppid(), sockets=sockets)
                os._exit(0)
            children.append(pid)
    try:
        _serve(args.host, args.port, parent=args.parent, sockets=sockets)
    finally:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for pid in children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def _listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to (host, port) and listening. Its protocol is named (IPPROTO_TCP,
    not 0): asyncio sets TCP_NODELAY only on such sockets, and without it every answer waits
    for the client's delayed ACK (~40 ms)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _serve(host: str, port: int, *, parent: int | None, sockets) -> None:
    import uvicorn

    app = Intake()
    server = uvicorn.Server(config(app, host, port))
    if parent:
        app.on_start.append(lambda: _end_with(parent, server))
    server.run(sockets=sockets)


if __name__ == "__main__":
    main(sys.argv[1:])
