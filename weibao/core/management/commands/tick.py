"""`weibao tick`: process whatever is due now, once, and print the counts (cron / ops)."""

import json
from dataclasses import asdict

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Process everything due now (clock breaches, escalation steps, emergency-action "
    "deadlines, notification deliveries) once and print the counts."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)
        parser.add_argument("--no-deliver", action="store_true", help="do not send notifications")

    def handle(self, *args, batch, no_deliver, **options):
        from weibao.escalations.runner import tick

        counts = tick(batch=batch, deliver=not no_deliver)
        self.stdout.write(json.dumps(asdict(counts)))
