"""`weibao alarms listen`: run the SNMP trap and MQTT listeners of the enabled alarm sources on
their own (`weibao serve` runs them in-process when any such source is enabled)."""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Alarm intake: `listen` runs the SNMP trap and MQTT listeners of the enabled sources."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listen = sub.add_parser("listen", help="run the SNMP and MQTT listeners until stopped")
        listen.add_argument(
            "--check-every",
            type=float,
            default=10.0,
            help="seconds between two readings of the sources (added, edited, disabled)",
        )

    def handle(self, *args, action, check_every, **options):
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
