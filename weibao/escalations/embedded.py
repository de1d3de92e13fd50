"""The embedded worker of `weibao serve`: one background thread running the tick every
WEIBAO_TICK_SECONDS, so a laptop install needs no broker and no second process."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections

log = logging.getLogger(__name__)


class EmbeddedWorker(threading.Thread):
    def __init__(self, interval: float | None = None):
        super().__init__(name="weibao-embedded-worker", daemon=True)
        self.interval = interval or settings.WEIBAO_TICK_SECONDS
        self.stopped = threading.Event()

    def run(self) -> None:
        from weibao.escalations.runner import tick

        while not self.stopped.is_set():
            try:
                counts = tick()
                if counts.total:
                    log.info("tick: %s", counts)
            except Exception:  # keep the worker alive; the next tick retries everything
                log.exception("tick failed")
            finally:
                close_old_connections()
            self.stopped.wait(self.interval)

    def stop(self) -> None:
        self.stopped.set()
