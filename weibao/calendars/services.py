"""Changes to the working-day calendar: corrections by an administrator, imports of a year's
State Council schedule, seeding from the `chinesecalendar` package.

Every change invalidates the in-process index of `weibao.calendars.workdays` (now and again on
commit); other processes notice within `workdays.RECHECK_SECONDS`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.capabilities import Capability
from weibao.core import bounds, clock
from weibao.core.audit import acting_as, record_event
from weibao.core.errors import DomainError
from weibao.core.events import event_text
from weibao.core.permissions import require

from . import notice, seed
from .choices import CalendarSource
from .errors import CalendarYearMissing
from .models import CalendarDay, CalendarYear, ScheduleDraft
from .schedule import parse_schedule, year_days
from .signals import year_imported
from .workdays import invalidate_index

FIRST_IMPORTABLE_YEAR = 2000
LAST_IMPORTABLE_YEAR = 2100


def _calendar_changed() -> None:
    invalidate_index()
    transaction.on_commit(invalidate_index)


def may_edit(actor) -> None:
    """Calendar writes need `Capability.CONFIG_EDIT`; `actor=None` is the system itself (the
    management commands run by an operator, migrations)."""
    if actor is not None:
        require(actor, Capability.CONFIG_EDIT)


def _as(actor):
    return acting_as(actor) if actor is not None else contextlib.nullcontext()


def correct_day(day: dt.date, *, is_working_day: bool, name: str, actor) -> CalendarDay:
    """Correct one day of a known year (source becomes `manual`); the change takes effect
    immediately for this process.

    Raises `CalendarYearMissing` if the day's year is not loaded.
    """
    name = (name or "").strip()
    may_edit(actor)
    if len(name) > 40:
        raise DomainError(_("名称最多 40 个字符。"), field="name")
    with transaction.atomic(), _as(actor):
        if not CalendarYear.objects.filter(year=day.year).exists():
            raise CalendarYearMissing(day.year, field="date")
        row = CalendarDay.objects.select_for_update().filter(date=day).first()
        if row is None:
            raise CalendarYearMissing(day.year, field="date")
        row.is_working_day = is_working_day
        row.name = name
        row.source = CalendarSource.MANUAL
        row.updated_by = actor if getattr(actor, "pk", None) else None
        row.save()
        _calendar_changed()
    return row


def import_year(
    year: int,
    text: str | Iterable[str],
    *,
    actor,
    replace: bool = False,
    note: str = "",
) -> CalendarYear:
    """Load `year` from a schedule file (format: `weibao.calendars.schedule`) or the State
    Council notice text as published (`weibao.calendars.notice`) and mark it as the official
    schedule. Sends `signals.year_imported` in the same transaction (provisional dates of other
    apps are recomputed there).

    Everything is validated first; a bad line raises `CalendarImportInvalid` naming it and
    nothing is written. A year already loaded is replaced (with its manual corrections) only
    with `replace=True`. A note over 10,000 characters is refused on `note`.
    """
    bounds.check_text(note, "note")
    if not FIRST_IMPORTABLE_YEAR <= year <= LAST_IMPORTABLE_YEAR:
        raise DomainError(
            _("年份须在 %(first)s–%(last)s 之间。")
            % {"first": FIRST_IMPORTABLE_YEAR, "last": LAST_IMPORTABLE_YEAR},
            field="year",
        )
    may_edit(actor)
    entries = read_schedule(year, text).entries
    with transaction.atomic(), _as(actor):
        existing = CalendarYear.objects.select_for_update().filter(year=year).first()
        if existing is not None and not replace:
            raise DomainError(
                _(
                    "%(year)s 年的工作日历已存在（来源：%(source)s）；"
                    "如需覆盖，请勾选“替换”（--replace）。"
                )
                % {"year": year, "source": existing.get_source_display()},
                code="calendar_year_exists",
                field="year",
            )
        _write_days(year, year_days(year, entries), actor=actor)
        row = existing or CalendarYear(year=year)
        row.source = CalendarSource.IMPORT
        row.official = True
        row.imported_at = clock.now()
        row.note = note or row.note
        row.save()
        holidays = sum(1 for e in entries.values() if not e.is_working_day)
        record_event(
            row,
            message=event_text(
                gettext_noop("导入 %(year)s 年放假安排：%(h)s 天放假，%(m)s 天调休上班（替换）")
                if existing
                else gettext_noop("导入 %(year)s 年放假安排：%(h)s 天放假，%(m)s 天调休上班"),
                year=year,
                h=holidays,
                m=len(entries) - holidays,
            ),
            kind="calendar_import",
            actor=actor,
            data={"entries": len(entries), "replaced": existing is not None},
        )
        ScheduleDraft.objects.filter(year=year).delete()
        _calendar_changed()
        year_imported.send(CalendarYear, year=year, actor=actor, source=CalendarSource.IMPORT)
    return row


@dataclass(frozen=True)
class ScheduleReading:
    """A schedule or notice read and validated, not yet saved: its entries by date, the prose
    lines skipped, and whether it was the notice text."""

    year: int
    entries: dict
    ignored: list[tuple[int, str]]
    from_notice: bool

    @property
    def holidays(self) -> int:
        return sum(1 for e in self.entries.values() if not e.is_working_day)

    @property
    def makeup_days(self) -> int:
        return len(self.entries) - self.holidays


def read_schedule(year: int, text: str | Iterable[str]) -> ScheduleReading:
    """Read a schedule file or the notice text (detected by its 月/日 dates); raise
    `CalendarImportInvalid` naming every line not read. Writes nothing (the preview)."""
    if not isinstance(text, str):
        text = "\n".join(text)
    if notice.looks_like_notice(text):
        reading = notice.parse_notice(year, text, field="text")
        return ScheduleReading(year, reading.entries, reading.ignored, True)
    return ScheduleReading(year, parse_schedule(year, text, field="text"), [], False)


def _write_days(year: int, days, *, actor) -> None:
    """Set every day of `year`, updating rows in place (ids and history stay) and creating
    the missing ones. Bulk writes: the import's change-log event stands for them."""
    user = actor if getattr(actor, "pk", None) else None
    now = clock.now()
    existing = {row.date: row for row in CalendarDay.objects.filter(date__year=year)}
    changed, created = [], []
    for day, working, name in days:
        row = existing.get(day) or CalendarDay(date=day, created_at=now)
        row.is_working_day, row.name = working, name
        row.source, row.updated_by, row.updated_at = CalendarSource.IMPORT, user, now
        (changed if row.pk else created).append(row)
    fields = ["is_working_day", "name", "source", "updated_by", "updated_at"]
    CalendarDay.objects.bulk_update(changed, fields, batch_size=500)
    CalendarDay.objects.bulk_create(created, batch_size=500)


def seed_from_package(*, actor=None) -> list[int]:
    """Load every year the `chinesecalendar` package covers that is not loaded yet; return
    the years loaded."""
    with transaction.atomic(), _as(actor):
        years = seed.seed_years(CalendarDay, CalendarYear)
        for row in CalendarYear.objects.filter(year__in=years):
            record_event(
                row,
                message=event_text("从 %(source)s 载入", source=seed.SEED_NOTE),
                kind="calendar_seed",
                actor=actor,
            )
        if years:
            _calendar_changed()
        for year in years:
            year_imported.send(CalendarYear, year=year, actor=actor, source=CalendarSource.SEED)
    return years


def forget_year(year: int, *, actor) -> None:
    """Remove a year and its days; dates in it are refused until it is loaded again."""
    may_edit(actor)
    with transaction.atomic(), _as(actor):
        CalendarDay.objects.filter(date__year=year).delete()
        for row in CalendarYear.objects.filter(year=year):
            row.delete()
        _calendar_changed()


def save_draft(year: int, text: str, *, actor, note: str = "") -> ScheduleDraft:
    """Keep a year's notice text to preview and import later (nothing in the calendar
    changes). The text need not be valid yet, but is at most 10,000 characters."""
    may_edit(actor)
    bounds.check_text(text, "text")
    if not text.strip():
        raise DomainError(_("请粘贴通知原文或放假安排。"), field="text")
    with transaction.atomic(), _as(actor):
        draft, _created = ScheduleDraft.objects.update_or_create(
            year=year, defaults={"text": text, "note": note[:200]}
        )
    return draft
