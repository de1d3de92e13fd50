"""The State Council notice as published (国务院办公厅关于某年部分节假日安排的通知), pasted as
text, read into the same entries as a schedule file (`weibao.calendars.schedule`).

What is read
------------
Numbered items, one per line, as the notice prints them::

    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
    2月14日（周六）、2月28日（周六）上班。

* Parenthesised remarks (weekday, lunar date) are skipped; full-width characters are fine.
* A sentence with 放假 gives days off: ``M月D日``, ``M月D日至D日`` or ``M月D日至M月D日``
  (a ``YYYY年`` prefix is allowed; a December date under 元旦 belongs to the year before and
  is left out). ``共N天`` must match the days listed.
* A sentence with 上班 lists weekend days that are worked (调休), separated by 、.
* The title line ("关于2027年部分节假日安排的通知") must name the year being imported.
* Other lines without any date (preamble, closing remarks) are ignored and listed as such; a
  line with a date that cannot be read, a contradiction, or a day outside the year is a
  problem naming its line. Nothing is returned unless every line is understood.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .choices import MAKEUP_DAY_NAME
from .errors import CalendarImportInvalid
from .schedule import NAME_MAX_LENGTH, ScheduleEntry

_ITEM = re.compile(r"^[一二三四五六七八九十]+\s*[、.]\s*(?P<name>[^:]{1,20}?)\s*:\s*(?P<body>.*)$")
_TITLE = re.compile(r"(\d{4})\s*年\s*(?:部分)?节假日安排")
_DATE = r"(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日"
_RANGE = re.compile(_DATE + r"(?:\s*(?:至|到|-|~|—|–)\s*" + _DATE + r")?")
_ANY_DATE = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*日")
_REMARK = re.compile(r"\([^()]*\)")
_TOTAL = re.compile(r"共\s*(\d+)\s*天")
_SIGNED_ON = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")  # the notice's own date


def looks_like_notice(text: str) -> bool:
    """Whether `text` is written as the notice (dates as 月/日) rather than a schedule file."""
    return bool(_ANY_DATE.search(unicodedata.normalize("NFKC", text)))


@dataclass
class NoticeReading:
    """The notice read: its entries by date, and the lines skipped as prose."""

    entries: dict[dt.date, ScheduleEntry] = field(default_factory=dict)
    ignored: list[tuple[int, str]] = field(default_factory=list)


def parse_notice(year: int, text: str, *, field: str | None = None) -> NoticeReading:
    """Read the notice for `year`; raise `CalendarImportInvalid` naming every line not read."""
    reading = NoticeReading()
    problems: list[tuple[int, str]] = []
    lines = text.splitlines()
    pending: tuple[int, str] | None = None  # an item whose 上班 sentence wraps onto the next line
    for number, raw, line in _segments(lines):
        title = _TITLE.search(line)
        if _SIGNED_ON.match(line):
            reading.ignored.append((number, raw.strip()))
            continue
        if title and not _ITEM.match(line):
            if int(title[1]) != year:
                problems.append(
                    (
                        number,
                        _("通知标题是 %(title)s 年，而导入的是 %(year)s 年")
                        % {"title": title[1], "year": year},
                    )
                )
            else:
                reading.ignored.append((number, raw.strip()))
            continue
        item = _ITEM.match(line)
        if item is not None:
            name = item["name"].strip()[:NAME_MAX_LENGTH]
            pending = (number, name)
            _read_item(year, name, item["body"], number, reading, problems)
        elif _ANY_DATE.search(line) and pending and "上班" in line and "放假" not in line:
            _read_item(year, pending[1], line, number, reading, problems, workdays_only=True)
        elif _ANY_DATE.search(line):
            problems.append((number, _("无法识别：“%(text)s”") % {"text": raw.strip()[:60]}))
        else:
            reading.ignored.append((number, raw.strip()))
    if not problems and not reading.entries:
        problems.append(
            (
                0,
                _("没有读到任何 %(year)s 年的放假或调休安排（应为“一、元旦：1月1日放假…”）")
                % {"year": year},
            )
        )
    if problems:
        raise CalendarImportInvalid(sorted(problems), field=field)
    return reading


_NEXT_ITEM = re.compile(r"(?<=[。;])\s*(?=[一二三四五六七八九十]+\s*、[^:]{1,20}:)")


def _segments(lines: list[str]):
    """(line number, original text, normalised text) per item; several items pasted on one
    line (as the notice reads when copied from a web page) are split apart."""
    for number, raw in enumerate(lines, start=1):
        line = unicodedata.normalize("NFKC", raw.lstrip("\ufeff")).strip()
        for part in _NEXT_ITEM.split(line) if line else ():
            if part.strip():
                yield number, raw.strip() if part == line else part.strip(), part.strip()


def _read_item(
    year: int,
    name: str,
    body: str,
    number: int,
    reading: NoticeReading,
    problems: list[tuple[int, str]],
    *,
    workdays_only: bool = False,
) -> None:
    body = _REMARK.sub("", _REMARK.sub("", body))
    holidays: list[dt.date] = []
    found_any = False
    for sentence in re.split(r"[。;]", body):
        sentence = sentence.strip()
        if not sentence:
            continue
        if "上班" in sentence:
            kind = True
        elif "放假" in sentence or "休息" in sentence:
            kind = False
        else:
            if _ANY_DATE.search(sentence):
                problems.append(
                    (number, _("“%(text)s”既不是放假也不是上班") % {"text": sentence[:40]})
                )
            continue
        if workdays_only and not kind:
            problems.append((number, _("无法识别：“%(text)s”") % {"text": sentence[:40]}))
            continue
        try:
            days = _dates(year, name, sentence)
        except ValueError as exc:
            problems.append((number, str(exc)))
            continue
        if not days:
            problems.append((number, _("“%(text)s”中没有日期") % {"text": sentence[:40]}))
            continue
        found_any = True
        for day in days:
            if day.year != year:
                continue  # 元旦 starting in the December before: that year's table
            problem = _add(reading, day, kind, name, number)
            if problem:
                problems.append((number, problem))
            elif not kind:
                holidays.append(day)
        total = _TOTAL.search(sentence)
        if total and not kind and int(total[1]) != len(days):
            problems.append(
                (
                    number,
                    _("写明共 %(total)s 天，但列出的是 %(listed)s 天")
                    % {"total": total[1], "listed": len(days)},
                )
            )
    if not found_any and not workdays_only:
        problems.append((number, _("“%(name)s”一项没有读到日期") % {"name": name}))


def _add(reading: NoticeReading, day: dt.date, working: bool, name: str, number: int):
    existing = reading.entries.get(day)
    if existing is not None:
        if existing.is_working_day != working:
            return _("%(day)s 既放假又上班（另见第 %(line)s 行）") % {
                "day": day,
                "line": existing.line,
            }
        return None  # 国庆节、中秋节 listed under both names: keep the first
    if working and day.weekday() < 5:
        return _("%(day)s 是周一至周五，本来就是工作日，不应列为上班") % {"day": day}
    reading.entries[day] = ScheduleEntry(
        date=day,
        is_working_day=working,
        name=MAKEUP_DAY_NAME if working else name,
        line=number,
    )
    return None


def _dates(year: int, name: str, sentence: str) -> list[dt.date]:
    """Every date the sentence lists (ranges expanded)."""
    days: list[dt.date] = []
    month = None
    for match in _RANGE.finditer(sentence):
        y1, m1, d1, y2, m2, d2 = match.groups()
        if m1 is None and month is None:
            raise ValueError(_("“%(text)s”缺少月份") % {"text": match[0]})
        month = int(m1) if m1 else month
        first = _date(year, name, y1, month, d1)
        if d2 is None:
            days.append(first)
            continue
        month = int(m2) if m2 else month
        last = _date(year, name, y2, month, d2)
        if last < first:
            last = _date(year + 1 if not y2 else int(y2), name, y2, month, d2)
        if (last - first).days > 31:
            raise ValueError(_("“%(text)s”跨度过长") % {"text": match[0]})
        days.extend(first + dt.timedelta(days=i) for i in range((last - first).days + 1))
    return days


def _date(year: int, name: str, y: str | None, month: int, day: str) -> dt.date:
    if y:
        year = int(y)
    elif month == 12 and "元旦" in name:
        year -= 1
    try:
        return dt.date(year, month, int(day))
    except ValueError:
        raise ValueError(
            _("日期 %(y)s年%(m)s月%(d)s日 不存在") % {"y": year, "m": month, "d": day}
        ) from None
