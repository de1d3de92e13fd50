"""The embedded worker of `weibao serve`: one background thread running the one scheduler
(`weibao.core.due.run()`) every WEIBAO_TICK_SECONDS, so a laptop install needs no broker and
no second process. Like every runner it only takes due rows under row locks, so it may run
next to `weibao tick` or Celery workers."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connections

from weibao.core import due

log = logging.getLogger(__name__)


class EmbeddedWorker(threading.Thread):
    """A daemon thread that processes whatever is due, then waits `interval` seconds."""

    def __init__(self, interval: float | None = None, *, batch: int = 500):
        super().__init__(name="weibao-embedded-worker", daemon=True)
        self.interval = interval or settings.WEIBAO_TICK_SECONDS
        self.batch = batch
        self.stopped = threading.Event()

    def run_once(self) -> dict[str, int]:
        """Process everything due now, once; returns the counts by source (`due.run`)."""
        counts = due.run(batch=self.batch)
        if any(counts.values()):
            log.info("tick: %s", {name: n for name, n in counts.items() if n})
        return counts

    def run(self) -> None:
        try:
            while not self.stopped.is_set():
                try:
                    self.run_once()
                except Exception:  # keep the worker alive; the next tick retries everything
                    log.exception("tick failed")
                finally:
                    close_old_connections()
                self.stopped.wait(self.interval)
        finally:
            connections.close_all()  # this thread's own connections, so none is left open

    def stop(self) -> None:
        self.stopped.set()
