"""The schedule file: a year's State Council holiday arrangement (国务院办公厅关于某年部分节假日
安排的通知), written as the exceptions to the ordinary week.

Format
------
UTF-8 text, one day per line: ``date,kind[,name]`` (comma, Chinese comma or tab between
fields). Blank lines and lines starting with ``#`` are ignored. ::

    # 2027 年部分节假日安排
    2027-01-01,holiday,元旦
    2027-02-06,holiday,春节
    2027-02-07,workday,调休上班

* ``date``: ``YYYY-MM-DD``, inside the year being imported; each date at most once.
* ``kind``: ``holiday`` (also ``休`` or ``放假``) — a day off; ``workday`` (also ``班`` or
  ``上班``) — a weekend day that is a working day (调休). A ``workday`` on Monday–Friday is
  refused: it is already a working day, so the line is most likely a wrong date.
* ``name``: optional, up to 40 characters; defaults to ``放假`` for a holiday and ``调休上班``
  for a workday.

Every day not listed follows the ordinary week: Monday–Friday working, Saturday–Sunday off.
List every day off of a holiday block, including the weekend days inside it, so that the
month view shows the holiday's name on them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .choices import MAKEUP_DAY_NAME
from .errors import CalendarImportInvalid

KINDS = {
    "holiday": False,
    "休": False,
    "放假": False,
    "workday": True,
    "班": True,
    "上班": True,
}
DEFAULT_HOLIDAY_NAME = "放假"
NAME_MAX_LENGTH = 40

_SEPARATOR = re.compile(r"\s*[,，\t]\s*")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class ScheduleEntry:
    """One listed exception of the ordinary week."""

    date: dt.date
    is_working_day: bool
    name: str
    line: int


def parse_schedule(
    year: int, text: str | Iterable[str], *, field: str | None = None
) -> dict[dt.date, ScheduleEntry]:
    """Parse and validate a schedule for `year`; return its entries by date.

    Every line is checked before anything is returned; problems raise one
    `CalendarImportInvalid` naming each bad line (its `field` is passed through, so a form or
    the API can show it under the right input).
    """
    lines = text.splitlines() if isinstance(text, str) else list(text)
    entries: dict[dt.date, ScheduleEntry] = {}
    problems: list[tuple[int, str]] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.lstrip("\ufeff").strip()
        if not line or line.startswith("#"):
            continue
        try:
            entry = _parse_line(year, line, number)
        except ValueError as exc:
            problems.append((number, str(exc)))
            continue
        if entry.date in entries:
            first = entries[entry.date].line
            problems.append(
                (
                    number,
                    _("日期 %(date)s 重复（已在第 %(first)s 行出现）")
                    % {"date": entry.date, "first": first},
                )
            )
            continue
        entries[entry.date] = entry
    if not problems and not entries:
        problems.append(
            (0, _("没有任何 %(year)s 年的放假或调休条目（the schedule is empty）") % {"year": year})
        )
    if problems:
        raise CalendarImportInvalid(problems, field=field)
    return entries


def _parse_line(year: int, line: str, number: int) -> ScheduleEntry:
    fields = _SEPARATOR.split(line)
    if len(fields) not in (2, 3):
        raise ValueError(_("应为“日期,类型[,名称]”，实为“%(line)s”") % {"line": line})
    date_text, kind_text = fields[0], fields[1]
    name = fields[2] if len(fields) == 3 else ""
    if not _DATE.match(date_text):
        raise ValueError(_("日期“%(date)s”格式无效，应为 YYYY-MM-DD") % {"date": date_text})
    try:
        date = dt.date.fromisoformat(date_text)
    except ValueError:
        raise ValueError(_("日期“%(date)s”不存在") % {"date": date_text}) from None
    if date.year != year:
        raise ValueError(_("日期 %(date)s 不在 %(year)s 年内") % {"date": date, "year": year})
    kind = KINDS.get(kind_text.lower())
    if kind is None:
        raise ValueError(
            _("类型“%(kind)s”无效，应为 holiday（休）或 workday（班）") % {"kind": kind_text}
        )
    if kind and date.weekday() < 5:
        raise ValueError(
            _("%(date)s 是周一至周五，本来就是工作日，无需列为 workday") % {"date": date}
        )
    if len(name) > NAME_MAX_LENGTH:
        raise ValueError(_("名称超过 %(n)s 个字符") % {"n": NAME_MAX_LENGTH})
    name = name or (MAKEUP_DAY_NAME if kind else DEFAULT_HOLIDAY_NAME)
    return ScheduleEntry(date=date, is_working_day=kind, name=name, line=number)


def year_days(
    year: int, entries: dict[dt.date, ScheduleEntry]
) -> Iterator[tuple[dt.date, bool, str]]:
    """Every day of `year` as (date, is working day, name): the entries, else the ordinary
    week."""
    day = dt.date(year, 1, 1)
    one = dt.timedelta(days=1)
    while day.year == year:
        entry = entries.get(day)
        if entry is not None:
            yield day, entry.is_working_day, entry.name
        else:
            yield day, day.weekday() < 5, ""
        day += one
