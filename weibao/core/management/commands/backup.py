"""`weibao backup FILE`: the database and every uploaded file in one archive (see
`weibao.core.backup`); `weibao restore FILE` reads it back."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from weibao.core import backup
from weibao.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Write the database (SQLite online backup or pg_dump) and the uploaded files to one "
        "archive FILE (.tar.gz, with a manifest of SHA-256 hashes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive to write, e.g. /backups/weibao.tar.gz")

    def handle(self, *args, file, **options):
        try:
            manifest = backup.create_backup(file)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        except backup.BackupFailed as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            raise CommandError(f"数据库不可用（database error）：{exc}") from exc
        files = len(manifest["files"]) - 1
        vendor = backup.VENDOR_NAMES[manifest["database"]["vendor"]]
        self.stdout.write(
            self.style.SUCCESS(f"备份已写入 {file}：{vendor} 数据库和 {files} 个上传文件")
        )
