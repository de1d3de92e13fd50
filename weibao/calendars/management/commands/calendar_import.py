"""`weibao calendar_import FILE --year 2027 [--replace] [--preview]`: load a year's State
Council schedule.

FILE is the notice text as published (`weibao.calendars.notice`), a schedule file (format:
`weibao.calendars.schedule`), or `-` for standard input. `--preview` prints what would be
imported and saves nothing.
Bad input prints the offending lines (or the option, e.g. a `--note` over 10,000 characters)
on stderr, exits with status 2 and changes nothing.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from weibao.calendars import services
from weibao.core.errors import DomainError

OPTIONS = ("year", "note")


def _refusal(exc: DomainError) -> str:
    """A service's refusal as the command says it: prefixed with the option it is about."""
    return f"--{exc.field}: {exc.message}" if exc.field in OPTIONS else exc.message


class Command(BaseCommand):
    help = "导入国务院发布的某年放假安排（通知原文，或每行：日期,holiday|workday,名称）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="放假安排文件，- 表示标准输入")
        parser.add_argument("--year", type=int, required=True, help="年份，例如 2027")
        parser.add_argument("--replace", action="store_true", help="覆盖已存在的年份")
        parser.add_argument("--note", default="", help="备注，例如通知文号")
        parser.add_argument("--preview", action="store_true", help="只解析并列出，不保存")

    def handle(self, *args, file: str, year: int, replace: bool, note: str, **options):
        text = self._read(file)
        if options.get("preview"):
            try:
                reading = services.read_schedule(year, text)
            except DomainError as exc:
                raise CommandError(_refusal(exc), returncode=2) from exc
            for day, entry in sorted(reading.entries.items()):
                kind = "上班" if entry.is_working_day else "放假"
                self.stdout.write(f"{day:%Y-%m-%d} {kind} {entry.name}")
            for number, line in reading.ignored:
                self.stdout.write(f"# 第 {number} 行作为说明跳过：{line[:60]}")
            self.stdout.write(
                f"预览：{reading.holidays} 天放假，{reading.makeup_days} 天调休上班；未保存。"
            )
            return
        try:
            row = services.import_year(year, text, actor=None, replace=replace, note=note)
        except DomainError as exc:
            raise CommandError(_refusal(exc), returncode=2) from exc
        self.stdout.write(self.style.SUCCESS(f"已导入 {row.year} 年放假安排。"))

    def _read(self, file: str) -> str:
        try:
            if file == "-":
                data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
            else:
                with open(file, "rb") as handle:
                    data = handle.read()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {file}：{exc.strerror}", returncode=2) from exc
        if isinstance(data, str):
            return data
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CommandError(f"文件 {file} 不是 UTF-8 编码的文本。", returncode=2) from exc
