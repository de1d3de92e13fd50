"""What every long-running alarm listener shares: a daemon thread per source, and `deliver()`,
the one way a listener hands what it received to `accept()` — it answers True only once the
alarms are committed, so the listener acknowledges (INFORM response, MQTT PUBACK) only then."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence

from django.db import close_old_connections, connections
from django.utils.translation import gettext as _

from weibao.alarms.models import AlarmSource
from weibao.alarms.normalised import Normalised
from weibao.alarms.services.intake import accept
from weibao.alarms.services.receive import note_error

log = logging.getLogger("weibao.alarms.listeners")

Accept = Callable[..., object]


def record_error(source: AlarmSource, message: str) -> None:
    """Count a delivery that could not be stored on the source's health counters."""
    note_error(source, _("保存告警失败：%(error)s") % {"error": message})


def deliver(
    source: AlarmSource,
    items: Sequence[Normalised],
    *,
    body: object,
    content_type: str,
    remote: str,
    accept: Accept = accept,
) -> bool:
    """Store one received message through `accept()` (raw body kept for replay); True once
    committed, False when the commit failed (counted on the source, logged)."""
    close_old_connections()  # a long-lived thread: drop a connection the database closed
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    try:
        accept(
            source, list(items), raw={"body": text, "content_type": content_type, "remote": remote}
        )
    except Exception as exc:
        log.exception("source %s: delivery from %s not stored", source.pk, remote)
        record_error(source, f"{type(exc).__name__}: {exc}")
        return False
    return True


class Listener(threading.Thread):
    """One source's listener in its own daemon thread. `ready` is set once it listens (or
    subscribed), `failed` holds what stopped it from starting."""

    def __init__(self, source: AlarmSource, *, accept: Accept = accept):
        super().__init__(name=f"weibao-alarms-{source.kind}-{source.pk}", daemon=True)
        self.source = source
        self.accept = accept
        self.ready = threading.Event()
        self.stopped = threading.Event()
        self.failed: BaseException | None = None
        self.delivered = 0  # messages committed
        self.failures = 0  # messages whose commit failed
        self.counted = threading.Condition()

    def deliver(self, items, *, body, content_type: str, remote: str) -> bool:
        stored = deliver(
            self.source,
            items,
            body=body,
            content_type=content_type,
            remote=remote,
            accept=self.accept,
        )
        with self.counted:
            if stored:
                self.delivered += 1
            else:
                self.failures += 1
            self.counted.notify_all()
        return stored

    def wait_delivered(self, count: int, timeout: float = 10.0) -> bool:
        """Wait until `count` messages were stored (or failed) since the start."""
        with self.counted:
            return self.counted.wait_for(lambda: self.delivered + self.failures >= count, timeout)

    def stop(self) -> None:
        self.stopped.set()

    def run(self) -> None:
        try:
            self.listen()
        except Exception as exc:
            self.failed = exc
            log.exception("alarm listener %s stopped", self.name)
            record_error(self.source, f"{type(exc).__name__}: {exc}")
        finally:
            self.ready.set()  # never leave a waiter hanging
            connections.close_all()

    def listen(self) -> None:  # pragma: no cover - each kind implements it
        raise NotImplementedError
