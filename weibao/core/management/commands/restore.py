"""`weibao restore FILE [--force]`: replace the database and the uploaded files with a backup
written by `weibao backup`. Stop `weibao serve` and any workers first."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from weibao.core import backup
from weibao.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files with the backup FILE. Refuses a file "
        "that is not a Weibao backup, one of another database vendor, and a target that "
        "holds data unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="an archive written by `weibao backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that has users, or an upload directory that has files",
        )

    def handle(self, *args, file, force, **options):
        try:
            restored = backup.restore_backup(file, force=force)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        except backup.BackupFailed as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            raise CommandError(f"数据库不可用（database error）：{exc}") from exc
        created = restored.manifest.get("created_at", "?")
        self.stdout.write(
            self.style.SUCCESS(f"已恢复 {created} 的备份：数据库和 {restored.files} 个上传文件")
        )
        if restored.pending_migrations:
            self.stdout.write(
                f"备份早于当前版本：请运行 `weibao migrate` 补齐 "
                f"{len(restored.pending_migrations)} 个迁移（run `weibao migrate`）"
            )
