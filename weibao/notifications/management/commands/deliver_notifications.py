"""`manage.py deliver_notifications`: send due notifications once, or keep doing it."""

import time

from django.core.management.base import BaseCommand

from weibao.notifications.delivery import deliver_due


class Command(BaseCommand):
    help = "Send due notifications from the outbox (use --loop to keep running)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=100, help="messages per batch")
        parser.add_argument("--loop", action="store_true", help="run until interrupted")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between runs")

    def handle(self, *args, limit, loop, interval, **options):
        while True:
            counts = deliver_due(limit=limit)
            if counts.total or not loop:
                self.stdout.write(
                    f"sent {counts.sent}, retried {counts.retried}, failed {counts.failed}"
                )
            if not loop:
                return
            if counts.total < limit:
                time.sleep(interval)
