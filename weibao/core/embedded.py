"""The embedded worker of `weibao serve`: one background thread running the one scheduler
(`weibao.core.due.run()`) every WEIBAO_TICK_SECONDS, so a laptop install needs no broker and
no second process. Like every runner it only takes due rows under row locks, so it may run
next to `weibao tick` or Celery workers.

`EmbeddedRunner` is what `weibao serve` starts: the worker thread plus a watchdog thread that
starts a new worker when the worker dies (a tick raised), after a growing pause (1 s, 2 s,
4 s, … at most 60 s). After `max_restarts` deaths in a row without one good tick in between
it gives up and logs so; the staff pages then say that escalations and notifications have
stopped (the runner's heartbeat, `due.ticked`, is more than 60 s old)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections

from weibao.core import due

log = logging.getLogger(__name__)


class EmbeddedWorker(threading.Thread):
    """A daemon thread that processes whatever is due, then waits `interval` seconds. A tick
    that raises ends the thread (logged); `EmbeddedRunner` starts a new one."""

    def __init__(self, interval: float | None = None, *, batch: int = 500):
        super().__init__(name="weibao-embedded-worker", daemon=True)
        self.interval = interval or settings.WEIBAO_TICK_SECONDS
        self.batch = batch
        self.stopped = threading.Event()
        self.ticks = 0  # ticks completed by this thread
        self.error: BaseException | None = None  # what ended it, if a tick raised
        self.pace = due.Pace()

    def run_once(self) -> dict[str, int]:
        """Process what is due now, once (paced: see `due.run`); returns the counts by
        source."""
        counts = due.run(batch=self.batch, pace=self.pace)
        if any(counts.values()):
            log.info("tick: %s", {name: n for name, n in counts.items() if n})
        return counts

    def run(self) -> None:
        try:
            while not self.stopped.is_set():
                try:
                    self.run_once()
                finally:
                    close_old_connections()
                self.ticks += 1
                self.stopped.wait(self.interval)
        except Exception as exc:
            self.error = exc
            log.exception("embedded worker: tick failed, the worker thread ends")
        finally:
            connections.close_all()  # this thread's own connections, so none is left open

    def stop(self) -> None:
        self.stopped.set()


class EmbeddedRunner:
    """The embedded worker under a watchdog that restarts it when its thread dies."""

    def __init__(
        self,
        interval: float | None = None,
        *,
        batch: int = 500,
        max_restarts: int = 10,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        check_every: float = 1.0,
    ):
        self.interval = interval
        self.batch = batch
        self.max_restarts = max_restarts
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.check_every = check_every
        self.stopped = threading.Event()
        self.restarts = 0  # workers started after the first one
        self.gave_up = False
        self.worker = self._new_worker()
        self.watchdog = threading.Thread(
            target=self._watch, name="weibao-embedded-watchdog", daemon=True
        )

    def _new_worker(self) -> EmbeddedWorker:
        return EmbeddedWorker(self.interval, batch=self.batch)

    def start(self) -> None:
        self.worker.start()
        self.watchdog.start()

    def _watch(self) -> None:
        deaths = 0  # in a row, without a completed tick in between
        while not self.stopped.wait(self.check_every):
            worker = self.worker
            if worker.is_alive():
                continue
            if self.stopped.is_set() or worker.stopped.is_set():
                return  # stopped on purpose between the wait and the check: not a death
            deaths = 1 if worker.ticks else deaths + 1
            if deaths > self.max_restarts:
                self.gave_up = True
                log.critical(
                    "embedded worker died %d times in a row; not restarting it: escalations "
                    "and notifications have stopped until Weibao is restarted",
                    deaths,
                )
                return
            pause = min(self.max_backoff, self.backoff * 2 ** (deaths - 1))
            log.error(
                "embedded worker died (%r); restarting it in %.0f s (%d/%d)",
                worker.error,
                pause,
                deaths,
                self.max_restarts,
            )
            if self.stopped.wait(pause):
                return
            self.worker = self._new_worker()
            self.worker.start()
            self.restarts += 1

    def is_alive(self) -> bool:
        return self.worker.is_alive()

    def stop(self) -> None:
        self.stopped.set()
        self.worker.stop()

    def join(self, timeout: float | None = None) -> None:
        self.watchdog.join(timeout)
        self.worker.join(timeout)


# In-process companions of `weibao serve`: long-running parts of other apps (the alarm
# listeners) that an app registers in its `AppConfig.ready()`, so core imports no app. A
# factory returns an object with start() and stop(); serve starts each after the worker.
_COMPANIONS: dict[str, Callable[[], Any]] = {}


def register_companion(name: str, factory: Callable[[], Any]) -> None:
    """Have `weibao serve` start `factory()` (start()/stop()) next to the embedded worker."""
    _COMPANIONS[name] = factory


def companions() -> dict[str, Callable[[], Any]]:
    return dict(_COMPANIONS)


# The command line of a lean intake process `weibao serve --intake-port` starts beside itself
# (the alarms app registers it in `AppConfig.ready()`): (host, port, parent pid) -> argv.
_INTAKE: list[Callable[[str, int, int], list[str]]] = []


def register_intake(command: Callable[[str, int, int], list[str]]) -> None:
    """Have `weibao serve --intake-port` start the process `command(host, port, parent)`."""
    _INTAKE[:] = [command]


def intake_command(host: str, port: int, parent: int) -> list[str] | None:
    """The lean intake's command line, or None when no app registered one."""
    return _INTAKE[0](host, port, parent) if _INTAKE else None
