"""`weibao alarms listen`: run the SNMP trap and MQTT listeners of the enabled alarm sources on
their own (`weibao serve` runs them in-process when any such source is enabled).
`weibao alarms intake`: run the lean HTTP intake process (`weibao.alarms.intake_server`;
`weibao serve --intake-port` starts it next to the web server)."""

from __future__ import annotations

import os
import signal
import sys
import threading

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Alarm intake: `listen` runs the SNMP trap and MQTT listeners of the enabled sources; "
        "`intake` runs the lean HTTP intake process (PostgreSQL)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listen = sub.add_parser("listen", help="run the SNMP and MQTT listeners until stopped")
        listen.add_argument(
            "--check-every",
            type=float,
            default=10.0,
            help="seconds between two readings of the sources (added, edited, disabled)",
        )
        intake = sub.add_parser(
            "intake",
            help="serve POST /api/v2/alerts and /api/alarms/<kind>/<source>/ from the lean "
            "intake process (PostgreSQL; the runner applies what it stores)",
        )
        intake.add_argument("--host", default="127.0.0.1")
        intake.add_argument("--port", type=int, default=None)
        intake.add_argument(
            "--processes",
            type=int,
            default=None,
            help="processes serving the port, one core each (default 1, or "
            "WEIBAO_ALARM_INTAKE_PROCESSES)",
        )

    def handle(self, *args, action, **options):
        if action == "intake":
            self.intake(options["host"], options["port"], options["processes"])
        else:
            self.listen(options["check_every"])

    def intake(self, host: str, port: int | None, processes: int | None) -> None:
        from django.db import connection

        from weibao.alarms.intake_server import command

        if connection.vendor != "postgresql":
            raise CommandError(
                "轻量告警接收进程需要 PostgreSQL；SQLite 下由 weibao serve 接收告警。", returncode=2
            )
        # A process of its own, without the app registry this command was started with.
        if processes is not None and processes < 1:
            raise CommandError("--processes 至少为 1", returncode=2)
        argv = command(host, port, processes=processes)
        sys.stdout.flush()
        os.execv(argv[0], argv)

    def listen(self, check_every: float) -> None:
        from weibao.alarms.listeners.runner import ListenerRunner, listened_sources

        if check_every <= 0:
            raise CommandError("--check-every 应大于 0", returncode=2)
        sources = list(listened_sources())
        for source in sources:
            self.stdout.write(f"{source.get_kind_display()}: {source.name}")
        if not sources:
            self.stdout.write("没有启用的 SNMP/MQTT 告警来源；新增后会自动开始接收。")
        done = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_args: done.set())
        runner = ListenerRunner(check_every=check_every)
        runner.start()
        self.stdout.write(self.style.SUCCESS("Listening for alarms. Press Ctrl-C to stop."))
        try:
            done.wait()
        finally:
            runner.stop()
