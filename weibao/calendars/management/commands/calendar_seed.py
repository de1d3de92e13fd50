"""`weibao calendar_seed`: load the years the `chinesecalendar` package covers that are not
loaded yet (existing years, imports and corrections are left alone)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from weibao.calendars import seed, services


class Command(BaseCommand):
    help = "从 chinesecalendar 载入尚未导入的年份。"

    def handle(self, *args, **options):
        years = services.seed_from_package(actor=None)
        covered = seed.package_years()
        if years:
            self.stdout.write(self.style.SUCCESS(f"已载入：{', '.join(map(str, years))}"))
        else:
            self.stdout.write(f"{covered.start}–{covered.stop - 1} 年均已存在，无需载入。")
