"""The service desk's view of a run: process everything due now, once, with the counts sorted
by the desk's sources (`TickCounts`) — for the Celery task and for tests that read `steps`,
`breaches`, …. `weibao tick` and the embedded worker of `weibao serve` call `core.due.run()`
directly (core depends on no app).

There is one scheduler, `weibao.core.due`: this module only calls `due.run()` and sorts its
counts. The desk's own sources (clock breaches, ladder steps, emergency-action deadlines)
live in `escalations.desk` and are registered in `EscalationsConfig.ready()` like every other
app's; the outbox is a delivery source registered by notifications.
"""

from __future__ import annotations

import dataclasses

from weibao.core import due
from weibao.escalations.desk import ACTIONS, BREACHES, STEPS
from weibao.notifications.delivery import DELIVERY_SOURCE


@dataclasses.dataclass(frozen=True)
class TickCounts:
    breaches: int = 0
    steps: int = 0
    actions: int = 0
    sent: int = 0
    failed: int = 0
    retried: int = 0
    other: int = 0  # rows of the due sources registered by other apps (weibao.core.due)

    def __add__(self, other: TickCounts) -> TickCounts:
        return TickCounts(
            *(
                a + b
                for a, b in zip(dataclasses.astuple(self), dataclasses.astuple(other), strict=False)
            )
        )

    @property
    def total(self) -> int:
        return sum(dataclasses.astuple(self))

    @classmethod
    def from_run(cls, counts: dict[str, int]) -> TickCounts:
        """Sort the counts of `core.due.run()` by the desk's sources and the rest."""
        counts = dict(counts)
        mine = {
            "breaches": counts.pop(BREACHES, 0),
            "steps": counts.pop(STEPS, 0),
            "actions": counts.pop(ACTIONS, 0),
            **{k: counts.pop(f"{DELIVERY_SOURCE}.{k}", 0) for k in ("sent", "failed", "retried")},
        }
        return cls(**mine, other=sum(counts.values()))


def tick(*, batch: int = 500, deliver: bool = True, pace: due.Pace | None = None) -> TickCounts:
    """Process whatever is due now, once (`pace`: a looping runner's, see `due.run`). Safe
    to run concurrently and repeatedly."""
    return TickCounts.from_run(due.run(batch=batch, deliver=deliver, pace=pace))
