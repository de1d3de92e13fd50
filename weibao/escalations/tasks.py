"""Celery task: the tick. Runs anywhere, any number of times; it only takes ids from the
database under row locks, so concurrent runs share the work."""

from celery import shared_task

from weibao.core import due

# This worker process's pace (`due.Pace`): beat sends the tick every few seconds.
PACE = due.Pace()


@shared_task(name="weibao.escalations.tasks.tick")
def tick() -> dict:
    from dataclasses import asdict

    from weibao.escalations.runner import tick as run_tick

    return asdict(run_tick(pace=PACE))
