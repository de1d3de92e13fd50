"""Real receivers for the notification channels, as a pytest plugin (the root conftest
loads it): a local SMTP server and a local HTTP server, each in its
own thread, recording exactly what arrived."""

from __future__ import annotations

import json
import socket
import threading
import urllib.parse
from collections import Counter, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from weibao.notifications.models import ChannelEndpoint


@dataclass
class Received:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class HttpReceiver:
    """Replies per path: a queue of scripted `(status, body)` answers, then the default."""

    port: int = 0
    requests: list[Received] = field(default_factory=list)
    scripts: dict[str, deque] = field(default_factory=dict)
    defaults: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def respond(self, path: str, status: int, body: dict | str = "", *, times: int | None = None):
        data = json.dumps(body).encode() if isinstance(body, dict) else body.encode()
        if times is None:
            self.defaults[path] = (status, data)
        else:
            self.scripts.setdefault(path, deque()).extend([(status, data)] * times)

    def answer(self, request: Received) -> tuple[int, bytes]:
        with self.lock:
            self.requests.append(request)
            script = self.scripts.get(request.path)
            if script:
                return script.popleft()
            return self.defaults.get(request.path, (200, b"{}"))

    def hits(self, path: str) -> list[Received]:
        with self.lock:
            return [r for r in self.requests if r.path == path]

    def delivery_counts(self, path: str) -> Counter:
        return Counter(r.headers.get("X-Weibao-Delivery") for r in self.hits(path))


def _handler_for(receiver: HttpReceiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            parsed = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            request = Received(
                path=parsed.path,
                query=dict(urllib.parse.parse_qsl(parsed.query)),
                headers=dict(self.headers.items()),
                body=self.rfile.read(length),
            )
            status, data = receiver.answer(request)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args):
            pass

    return Handler


@pytest.fixture
def receiver():
    """A real HTTP server on 127.0.0.1 (a free port), serving in a thread."""
    recv = HttpReceiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(recv))
    server.daemon_threads = True
    recv.port = server.server_address[1]
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield recv
    server.shutdown()
    server.server_close()


class CollectingHandler:
    def __init__(self):
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on 127.0.0.1; Django's SMTP backend points at it."""
    handler = CollectingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "weibao@example.com"
    yield handler
    controller.stop()


@pytest.fixture
def endpoint_factory(receiver):
    """Make an endpoint whose URL is a path on the local receiver."""

    def make(kind: str, path: str, **fields) -> ChannelEndpoint:
        fields.setdefault("name", f"{kind}-{path.strip('/')}")
        return ChannelEndpoint.objects.create(kind=kind, url=receiver.url(path), **fields)

    return make
