"""The lean intake process (`weibao.alarms.intake_server`) over real HTTP against the test
database: 2xx only once the delivery is committed, the views' refusals and envelope, 503 when
the database refuses, and the runner applying what it stored. PostgreSQL only (the process
writes with psycopg; on SQLite `weibao serve` receives alarms itself)."""

import base64
import hashlib
import hmac
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
from django.db import connection

from weibao.alarms.models import Alarm, AlarmChange, AlarmSource, RawDelivery
from weibao.alarms.tests.conftest import NOW, fixture_bytes
from weibao.core import due

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="lean intake: PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

API_ALERTS = fixture_bytes("am_api_alerts.json")
GROUP = fixture_bytes("alertmanager_group.json")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port, path, body=b"", *, method="POST", token=None, **headers):
    headers = {"Content-Type": "application/json", **headers}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body, headers)
        answer = conn.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read()
    finally:
        conn.close()


@pytest.fixture
def intake():
    """Start the lean intake in a thread on a free port; yields a function that waits until a
    source saved since is known (it reads the sources every 0.2 s here)."""
    import uvicorn

    from weibao.alarms.intake_server import Intake, config

    port = free_port()
    app = Intake(refresh_seconds=0.2)
    server = uvicorn.Server(config(app, "127.0.0.1", port))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "intake did not start"
        time.sleep(0.05)

    class Running:
        def __init__(self):
            self.port = port

        def knows(self, source) -> None:
            deadline = time.monotonic() + 10
            while (source.kind, source.slug) not in app.sources.by_address:
                assert time.monotonic() < deadline
                time.sleep(0.05)
            time.sleep(0.3)  # and its latest state (a refresh after the save)

    yield Running()
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture
def process(tmp_path):
    """Start `python -m weibao <argv>` against the test database (the URL from its settings):
    `process("alarms", "intake", "--port", str(port), port=port)` answers the process once
    `port` answers HTTP (a GET, which stores nothing). Every process started is stopped at
    teardown (one the test stopped itself is only waited for)."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    started = []

    def start(*argv: str, port: int, env: dict | None = None) -> subprocess.Popen:
        log = tmp_path / f"process-{len(started)}.log"
        with open(log, "wb") as output:  # the child keeps its own copy of the descriptor
            running = subprocess.Popen(
                [sys.executable, "-m", "weibao", *argv],
                env={**os.environ, "WEIBAO_DATABASE_URL": url, **(env or {})},
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        started.append(running)
        deadline = time.monotonic() + 300  # a loaded machine compiles every module first
        while True:
            try:
                request(port, "/api/v2/alerts", method="GET")
                return running
            except OSError:
                assert running.poll() is None, log.read_text(errors="replace")
                assert time.monotonic() < deadline, "the process did not answer"
                time.sleep(0.2)

    yield start
    for running in started:
        if running.poll() is None:
            running.terminate()
    for running in started:
        try:
            running.wait(timeout=60)
        except subprocess.TimeoutExpired:
            running.kill()
            running.wait()


def deliver_concurrently(port: int, *, threads: int, each: int) -> list[int]:
    """`threads` senders posting the Alertmanager API body `each` times: every status."""
    statuses = []

    def send():
        for _ in range(each):
            statuses.append(request(port, "/api/v2/alerts", API_ALERTS, token="am-token")[0])

    senders = [threading.Thread(target=send) for _ in range(threads)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    return statuses


@pytest.fixture
def am_api(site_world):
    site, _asset = site_world
    return AlarmSource.objects.create(
        name="vmalert", slug="vmalert", kind="am_api", customer=site.customer, token="am-token"
    )


def test_the_tables_it_writes_are_the_models(db):
    from weibao.alarms.intake_server import DELIVERY_TABLE, SOURCE_TABLE

    assert RawDelivery._meta.db_table == DELIVERY_TABLE
    assert AlarmSource._meta.db_table == SOURCE_TABLE


def test_an_acknowledged_delivery_is_committed_pending_and_the_runner_applies_it(
    intake, am_api, frozen_clock
):
    frozen_clock(NOW)
    intake.knows(am_api)
    status, _headers, body = request(intake.port, "/api/v2/alerts", API_ALERTS, token="am-token")
    # Answered only now that it is committed: another connection sees it at once.
    assert status == 200
    assert json.loads(body) == {"status": "success", "alarms": 3, "pending": True}
    delivery = RawDelivery.objects.get()
    assert delivery.pending and delivery.alarms == 3 and delivery.source == am_api
    assert delivery.body.encode() == API_ALERTS
    assert delivery.content_type == "application/json" and delivery.remote == "127.0.0.1"
    am_api.refresh_from_db()
    assert am_api.received == 1 and am_api.last_received_at == delivery.received_at
    assert not Alarm.objects.exists()

    assert due.run()["alarms.apply"] == 1
    assert Alarm.objects.filter(source=am_api).count() == 3
    assert AlarmChange.objects.count() == 2  # two firing; DoorOpen ended before it was sent
    assert not RawDelivery.objects.filter(pending=True).exists()


def test_a_malformed_body_is_400_and_stores_nothing(intake, am_api):
    intake.knows(am_api)
    status, _headers, body = request(intake.port, "/api/v2/alerts", b"[{", token="am-token")
    assert status == 400
    answer = json.loads(body)
    assert answer["code"] == "malformed" and set(answer) == {"code", "message", "fields"}
    no_labels = json.dumps([{"labels": {}}]).encode()
    status, _headers, body = request(intake.port, "/api/v2/alerts", no_labels, token="am-token")
    assert status == 400 and json.loads(body)["fields"] == {"0.labels": ["告警缺少标签。"]}
    assert not RawDelivery.objects.exists()
    am_api.refresh_from_db()
    assert (am_api.received, am_api.rejected) == (0, 2)


def test_refusals_answer_as_the_views_do(intake, am_api, make_source, client):
    other = make_source("alertmanager", hmac_secret="s3cret")
    intake.knows(other)
    asked = [
        ("/api/v2/alerts", API_ALERTS, {}),  # no token: 401
        ("/api/v2/alerts", API_ALERTS, {"Authorization": "Bearer wrong"}),  # 403
        (f"/api/alarms/alertmanager/{other.slug}/", GROUP, {}),  # 401
        (f"/api/alarms/alertmanager/{other.slug}/", GROUP, {"Authorization": "Bearer no"}),
        ("/api/alarms/alertmanager/no-such-source/", GROUP, {}),  # 404
        (f"/api/alarms/zabbix/{other.slug}/", GROUP, {}),  # another kind's address: 404
    ]
    for path, body, headers in asked:
        status, answer_headers, answer = request(intake.port, path, body, **headers)
        django_headers = {f"HTTP_{k.upper()}": v for k, v in headers.items()}
        expected = client.post(path, body, content_type="application/json", **django_headers)
        assert status == expected.status_code, path
        assert json.loads(answer) == expected.json(), path
        if status == 401:
            assert answer_headers["www-authenticate"] == expected["WWW-Authenticate"]
    status, _headers, answer = request(intake.port, "/api/v2/alerts", method="GET")
    assert (status, json.loads(answer)["code"]) == (405, "method_not_allowed")

    # Signed with the source's HMAC secret, or its token in the query: accepted.
    signature = hmac.new(b"s3cret", GROUP, hashlib.sha256).hexdigest()
    path = f"/api/alarms/alertmanager/{other.slug}/"
    signed = request(intake.port, path, GROUP, **{"X-Weibao-Signature": f"sha256={signature}"})
    assert signed[0] == 200
    assert request(intake.port, f"{path}?token={other.token}", GROUP)[0] == 200
    basic = base64.b64encode(f"am:{am_api.token}".encode()).decode()
    by_basic = request(intake.port, "/api/v2/alerts", API_ALERTS, Authorization=f"Basic {basic}")
    assert by_basic[0] == 200
    assert RawDelivery.objects.filter(pending=True).count() == 3


def test_a_source_disabled_in_the_admin_refuses_within_the_refresh(intake, am_api):
    intake.knows(am_api)
    assert request(intake.port, "/api/v2/alerts", API_ALERTS, token="am-token")[0] == 200
    am_api.enabled = False
    am_api.save()
    time.sleep(0.6)
    status, _headers, body = request(intake.port, "/api/v2/alerts", API_ALERTS, token="am-token")
    assert (status, json.loads(body)["code"]) == (403, "source_disabled")
    assert RawDelivery.objects.count() == 1


def test_b_interface_is_acknowledged_with_send_alarm_ack(intake, make_source):
    source = make_source("b_interface")
    intake.knows(source)
    status, headers, body = request(
        intake.port,
        f"/api/alarms/b-interface/{source.slug}/",
        fixture_bytes("b_send_alarm_begin.xml"),
        token=source.token,
        **{"Content-Type": "text/xml"},
    )
    assert status == 200 and headers["content-type"].startswith("text/xml")
    assert b"SEND_ALARM_ACK" in body and b"<Result>1</Result>" in body
    assert RawDelivery.objects.get().pending


def test_a_refused_commit_is_503_then_the_retry_is_stored(intake, am_api):
    intake.knows(am_api)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION alarms_test_refuse_delivery() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'could not extend file: No space left on device'; END $$ "
            "LANGUAGE plpgsql"
        )
        cursor.execute(
            "CREATE TRIGGER alarms_test_refuse_delivery BEFORE INSERT ON alarms_rawdelivery "
            "FOR EACH ROW EXECUTE FUNCTION alarms_test_refuse_delivery()"
        )
    try:
        status, headers, body = request(intake.port, "/api/v2/alerts", API_ALERTS, token="am-token")
        assert status == 503 and headers["retry-after"]
        assert json.loads(body)["code"] == "unavailable"
        assert not RawDelivery.objects.exists()
        am_api.refresh_from_db()
        assert (am_api.received, am_api.errors) == (0, 1)
        assert "No space left" in am_api.last_error
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER alarms_test_refuse_delivery ON alarms_rawdelivery")
            cursor.execute("DROP FUNCTION alarms_test_refuse_delivery()")
    # The sender retries, and now it is stored.
    assert request(intake.port, "/api/v2/alerts", API_ALERTS, token="am-token")[0] == 200
    assert RawDelivery.objects.count() == 1


def test_concurrent_deliveries_are_committed_together_and_each_counted(intake, am_api):
    intake.knows(am_api)
    assert deliver_concurrently(intake.port, threads=4, each=5) == [200] * 20
    assert RawDelivery.objects.filter(pending=True).count() == 20
    am_api.refresh_from_db()
    assert am_api.received == 20
    due.run()  # the raise first: its repeats give way to correlating it, then the rest
    due.run()
    assert not RawDelivery.objects.filter(pending=True).exists()
    assert Alarm.objects.get(labels__alertname="CameraOffline").repeat_count == 20


def test_weibao_alarms_intake_runs_it_as_a_process_of_its_own(am_api, process):
    """The command a user runs: a process without the app registry, answering in Chinese."""
    port = free_port()
    intake = process("alarms", "intake", "--port", str(port), port=port)
    status, _headers, body = request(port, "/api/v2/alerts", b"[{", token="am-token")
    assert status == 400 and "JSON" in json.loads(body)["message"]
    assert request(port, "/api/v2/alerts", API_ALERTS, token="am-token")[0] == 200
    assert RawDelivery.objects.get().pending
    rss = next(
        int(line.split()[1])
        for line in open(f"/proc/{intake.pid}/status")  # noqa: SIM115
        if line.startswith("VmRSS:")
    )
    assert rss < 100_000  # kB: no app registry loaded (django.setup() alone is more)


def test_weibao_serve_starts_it_with_intake_port_and_stops_it(am_api, process):
    web, port = free_port(), free_port()
    argv = ("serve", "--port", str(web), "--no-worker")
    serve = process(*argv, port=port, env={"WEIBAO_ALARM_INTAKE_PORT": str(port)})
    status = request(port, "/api/v2/alerts", API_ALERTS, token="am-token")[0]
    assert status == 200 and RawDelivery.objects.get().pending
    serve.terminate()
    serve.wait(timeout=60)
    deadline = time.monotonic() + 60
    while True:  # the intake process ended with it
        try:
            request(port, "/api/v2/alerts", API_ALERTS, token="am-token")
        except OSError:
            break
        assert time.monotonic() < deadline
        time.sleep(0.5)


def test_several_processes_serve_one_port_and_end_together(am_api, process):
    """`weibao alarms intake --processes 2`: two processes answer on one port, every
    acknowledged delivery is stored once, and stopping the first ends the other."""
    port = free_port()
    first = process("alarms", "intake", "--port", str(port), "--processes", "2", port=port)
    children = open(f"/proc/{first.pid}/task/{first.pid}/children").read().split()  # noqa: SIM115
    assert len(children) == 1
    assert deliver_concurrently(port, threads=6, each=5) == [200] * 30
    assert RawDelivery.objects.filter(pending=True).count() == 30
    am_api.refresh_from_db()
    assert am_api.received == 30
    first.terminate()
    first.wait(timeout=60)
    child = int(children[0])
    deadline = time.monotonic() + 60
    while os.path.exists(f"/proc/{child}") and "Z" not in _state(child):
        assert time.monotonic() < deadline, "the second process outlived the first"
        time.sleep(0.2)


def _state(pid: int) -> str:
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def test_a_process_count_below_one_is_refused(settings):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="--processes") as refused:
        call_command("alarms", "intake", "--processes", "0")
    assert refused.value.returncode == 2
