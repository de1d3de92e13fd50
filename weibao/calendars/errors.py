"""Errors of the working-day calendar, each with a stable code for integrators."""

from __future__ import annotations

from django.utils.translation import gettext as _

from weibao.core.errors import DomainError


class CalendarYearMissing(DomainError):
    """A date was asked about (or a result would fall) in a year whose State Council schedule
    has not been loaded. Working days are never guessed."""

    code = "calendar_year_missing"

    def __init__(self, year: int, *, field: str | None = None):
        super().__init__(
            _(
                "%(year)s 年的工作日历尚未导入（no working-day calendar for %(year)s）；"
                "请导入国务院发布的放假安排。"
            )
            % {"year": year},
            field=field,
        )
        self.year = year


class CalendarImportInvalid(DomainError):
    """A schedule file was refused; `problems` lists (line number, message) pairs. Nothing was
    written."""

    code = "calendar_import_invalid"

    def __init__(self, problems: list[tuple[int, str]], *, field: str | None = None):
        lines = [
            _("第 %(number)s 行：%(message)s") % {"number": number, "message": message}
            if number
            else message
            for number, message in problems
        ]
        super().__init__(_("；").join(lines), field=field)
        self.problems = problems
