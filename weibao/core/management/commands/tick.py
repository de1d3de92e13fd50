"""`weibao tick`: process whatever is due now, once, and print the counts (cron / ops)."""

import json

from django.core.management.base import BaseCommand

from weibao.core import due


class Command(BaseCommand):
    help = (
        "Process everything due now (every registered due source: clock breaches, escalation "
        "steps, emergency-action deadlines, the other apps' deadlines, then notification "
        "deliveries) once and print the counts by source as one JSON line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)
        parser.add_argument("--no-deliver", action="store_true", help="do not send notifications")

    def handle(self, *args, batch, no_deliver, **options):
        counts = due.run(batch=batch, deliver=not no_deliver)
        self.stdout.write(json.dumps(counts, sort_keys=True))
