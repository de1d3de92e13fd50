"""`weibao worker`: the tick under Celery with Redis, for several workers over one PostgreSQL."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run a Celery worker (with its beat) that processes due work; needs WEIBAO_BROKER_URL."

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, default=1)
        parser.add_argument("--loglevel", default="INFO")

    def handle(self, *args, concurrency, loglevel, **options):
        if not settings.WEIBAO_BROKER_URL:
            raise CommandError(
                "WEIBAO_BROKER_URL 未设置（e.g. redis://127.0.0.1:6379/0）；"
                "单机部署不需要 worker，`weibao serve` 已内置。",
                returncode=2,
            )
        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
            self.stderr.write("注意：多个 worker 请使用 PostgreSQL（WEIBAO_DATABASE_URL）。")
        from weibao.celery import app

        app.worker_main(
            [
                "worker",
                "--beat",
                f"--concurrency={concurrency}",
                f"--loglevel={loglevel}",
                "--pool=solo" if concurrency == 1 else "--pool=prefork",
                f"--schedule={settings.VAR_DIR / 'celerybeat-schedule'}",
                "--without-gossip",
                "--without-mingle",
            ]
        )
