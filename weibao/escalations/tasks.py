"""Celery task: the tick. Runs anywhere, any number of times; it only takes ids from the
database under row locks, so concurrent runs share the work."""

from celery import shared_task

_pace = None  # this worker process's: beat sends the tick every few seconds


@shared_task(name="weibao.escalations.tasks.tick")
def tick() -> dict:
    from dataclasses import asdict

    from weibao.core import due
    from weibao.escalations.runner import tick as run_tick

    global _pace
    _pace = _pace or due.Pace()
    return asdict(run_tick(pace=_pace))
