"""`weibao serve`: serve web and API with Waitress (a production WSGI server, pure Python).

Static files are served by WhiteNoise from the installed packages, so nothing is fetched
from the internet.
"""

import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Weibao's web pages and API (default http://127.0.0.1:8000)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not run the embedded worker (when `weibao worker` processes run instead)",
        )
        parser.add_argument(
            "--no-listeners",
            action="store_true",
            help="do not run the SNMP/MQTT alarm listeners (when `weibao alarms listen` runs them)",
        )
        parser.add_argument(
            "--intake-port",
            type=int,
            default=int(os.environ.get("WEIBAO_ALARM_INTAKE_PORT") or 0) or None,
            help="also start the lean alarm intake process on this port (PostgreSQL; "
            "default: WEIBAO_ALARM_INTAKE_PORT; see `weibao alarms intake`)",
        )

    def handle(self, *args, host, port, threads, no_worker, no_listeners, intake_port, **options):
        from waitress import serve

        from weibao.core.embedded import EmbeddedRunner
        from weibao.wsgi import application

        worker = None
        if not no_worker:
            worker = EmbeddedRunner()
            worker.start()
            self.stdout.write(
                "Embedded worker: everything due (clocks, escalations, deadlines, notifications) "
                "runs here (restarted by a watchdog if its thread dies)."
            )

        started = []
        if not no_listeners:
            from weibao.core.embedded import companions

            for name, factory in companions().items():
                companion = factory()
                companion.start()
                started.append(companion)
                self.stdout.write(f"In-process: {name}.")

        intake = None
        if intake_port:
            from django.db import connection

            from weibao.core.embedded import intake_command

            argv = intake_command(host, intake_port, os.getpid())
            if argv is None:
                self.stdout.write("No alarm intake is installed; not started.")
            elif connection.vendor == "postgresql":
                intake = subprocess.Popen(argv)
                # Stopped by SIGTERM too (a service manager), the intake process with it.
                signal.signal(signal.SIGTERM, lambda *_args: sys.exit(0))
                self.stdout.write(
                    f"Alarm intake (lean process): http://{host}:{intake_port}/api/v2/alerts"
                )
            else:
                self.stdout.write("The lean alarm intake needs PostgreSQL; not started.")

        self.stdout.write(self.style.SUCCESS(f"Weibao is serving on http://{host}:{port}/"))
        self.stdout.write("API: /api/  ·  OpenAPI docs: /api/docs/  ·  Admin: /admin/")
        self.stdout.write("Press Ctrl-C to stop.")
        try:
            serve(application, host=host, port=port, threads=threads, ident="weibao")
        finally:
            if intake is not None:
                intake.terminate()
                intake.wait(timeout=30)
            if worker is not None:
                worker.stop()
            for companion in started:
                companion.stop()
