"""Crash safety of the web path: `weibao serve` is killed with SIGKILL while four API clients
open L1 tickets and answer them. Every request that was answered 2xx is in the database
afterwards with its clocks and its outbox rows, and no ticket is half-written — on the
database the suite runs on (SQLite in WAL mode, or PostgreSQL)."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.client import HTTPException
from pathlib import Path

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.db.models import Q
from rest_framework.authtoken.models import Token

from weibao.notifications.models import Notification
from weibao.sla.models import Clock
from weibao.tickets.models import Ticket

ROOT = Path(__file__).resolve().parents[3]
CLIENTS = 4
KILL_AFTER = 24  # answered requests before the kill
STARTUP_SECONDS = 120  # a loaded CI machine; the server usually answers within seconds
WORK_SECONDS = 30
L1_CLOCKS = {"phone_response", "onsite_response", "onsite_arrival"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_database(tmp_path: Path) -> str:
    """A database URL the server process sees committed data in. PostgreSQL: the test
    database itself (this test commits). SQLite: the in-memory test database copied to a
    file with the online backup API."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        return (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    file = tmp_path / "weibao.sqlite3"
    target = sqlite3.connect(file)
    connection.ensure_connection()
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{file}"


class Client(threading.Thread):
    """Opens an L1 ticket, answers it by phone, again and again, until the server dies."""

    def __init__(self, base: str, token: str, site_id: int, answered: list, lock):
        super().__init__(daemon=True)
        self.base, self.token, self.site_id = base, token, site_id
        self.answered, self.lock = answered, lock
        self.cut_off: Exception | None = None
        self.refused: list[tuple[str, int]] = []  # answers that were neither 2xx nor 429

    def _post(self, path: str, body: dict) -> tuple[int, dict]:
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, {}

    def _refused(self, action: str, status: int) -> None:
        if status == 429:  # throttled: wait as a polite client would
            time.sleep(0.5)
        else:
            self.refused.append((action, status))
            time.sleep(0.05)

    def run(self) -> None:
        n = 0
        try:
            while True:
                n += 1
                status, ticket = self._post(
                    "/api/tickets/",
                    {"site": self.site_id, "level": "L1", "channel": "phone",
                     "fault_phenomenon": f"{self.name} 第 {n} 次：监控中心全部中断",
                     "contact_name": "值班员", "contact_phone": "13900000002"},
                )  # fmt: skip
                if status // 100 != 2:
                    self._refused("open", status)
                    continue
                with self.lock:
                    self.answered.append(("open", ticket["id"]))
                status, _ = self._post(f"/api/tickets/{ticket['id']}/respond/", {})
                if status // 100 == 2:
                    with self.lock:
                        self.answered.append(("respond", ticket["id"]))
                else:
                    self._refused("respond", status)
        except (OSError, ValueError, HTTPException) as exc:  # refused, reset, cut in half
            self.cut_off = exc


def _wait_until_serving(base: str, token: str, server: subprocess.Popen, deadline: float):
    request = urllib.request.Request(base + "/api/me/", headers={"Authorization": f"Token {token}"})
    while time.monotonic() < deadline:
        assert server.poll() is None, "weibao serve exited"
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail("weibao serve did not answer in time")


def _take_back_sqlite(url: str) -> None:
    """Read the file the killed server left (its WAL included) into the test database."""
    file = url.removeprefix("sqlite:///")
    source = sqlite3.connect(file)
    try:
        assert source.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert source.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        source.backup(connection.connection)
    finally:
        source.close()


@pytest.mark.django_db(transaction=True)
def test_kill_9_of_the_server_loses_no_answered_request_and_half_writes_nothing(desk, tmp_path):
    token = Token.objects.create(user=desk.agent).key
    url = _server_database(tmp_path)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "WEIBAO_DATABASE_URL": url,
        "WEIBAO_VAR_DIR": str(tmp_path / "var"),
        "WEIBAO_LOG_LEVEL": "WARNING",
        "WEIBAO_API_RATE_USER": "100000/minute",
    }
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "weibao", "serve", "--port", str(port), "--threads", "8"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    answered, lock = [], threading.Lock()
    try:
        _wait_until_serving(base, token, server, time.monotonic() + STARTUP_SECONDS)
        deadline = time.monotonic() + WORK_SECONDS
        clients = [Client(base, token, desk.site.pk, answered, lock) for _ in range(CLIENTS)]
        for client in clients:
            client.start()
        while len(answered) < KILL_AFTER and time.monotonic() < deadline:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
            time.sleep(0.01)
        server.send_signal(signal.SIGKILL)  # mid-way: the clients are still sending
        server.wait(timeout=10)
        for client in clients:
            client.join(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        log.close()
    assert server.returncode == -signal.SIGKILL
    assert all(client.cut_off is not None for client in clients)  # all were busy at the kill
    assert [r for client in clients for r in client.refused] == []
    opened = {pk for action, pk in answered if action == "open"}
    responded = {pk for action, pk in answered if action == "respond"}
    assert len(opened) >= CLIENTS, answered

    if connection.vendor == "sqlite":
        _take_back_sqlite(url)

    # every answered request is there, with its clocks and its outbox rows
    tickets = Ticket.objects.all()  # all opened through the server
    assert opened <= set(tickets.values_list("pk", flat=True))
    met = Clock.objects.filter(kind="phone_response", state="met", ticket__in=tickets)
    assert responded <= set(met.values_list("ticket_id", flat=True))
    # nothing half-written: every ticket in the database, answered or not, is whole — its
    # three clocks, and the outbox rows its opening writes (the L1 notice to the centre's
    # head and the manager, each emergency action's notice to its owner); the embedded
    # worker may have added reminders since, those are not counted
    outbox = {
        ticket.pk: Notification.objects.filter(
            Q(dedupe_key__contains=":l1:") | Q(dedupe_key__endswith=":assigned"),
            dedupe_key__startswith=f"ticket:{ticket.pk}:",
        ).count()
        for ticket in tickets
    }
    for ticket in tickets:
        assert set(ticket.clocks.values_list("kind", flat=True)) == L1_CLOCKS, ticket.pk
    assert len(set(outbox.values())) == 1 and min(outbox.values()) > 0, outbox


def test_sqlite_connections_use_wal_and_fsync_every_commit(tmp_path, django_db_blocker):
    """SQLite keeps committed transactions across a crash: WAL journal, synchronous=FULL
    (see weibao/settings.py for why FULL rather than NORMAL)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings")
    settings = {**connection.settings_dict, "NAME": str(tmp_path / "weibao.sqlite3")}
    wrapper = DatabaseWrapper(settings, alias="crash-check")
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone() == ("wal",)
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone() == (2,)  # FULL
    finally:
        wrapper.close()
