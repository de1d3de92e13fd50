"""`calendar_import` and `calendar_seed`."""

import datetime as dt
import io
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from weibao.calendars.models import CalendarDay, CalendarYear
from weibao.calendars.workdays import add_working_days

pytestmark = pytest.mark.django_db


def test_import_from_file(tmp_path, schedule_2027):
    path = tmp_path / "2027.csv"
    path.write_text(schedule_2027, encoding="utf-8-sig")
    out = io.StringIO()
    call_command("calendar_import", str(path), year=2027, stdout=out)
    assert "已导入 2027 年" in out.getvalue()
    assert CalendarYear.objects.get(year=2027).source == "import"
    assert add_working_days(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 4)


def test_import_from_stdin(monkeypatch, schedule_2027):
    stdin = io.TextIOWrapper(io.BytesIO(schedule_2027.encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    call_command("calendar_import", "-", "--year", "2027", stdout=io.StringIO())
    assert CalendarDay.objects.get(date=dt.date(2027, 2, 13)).is_working_day is True


def test_bad_input_exits_2_and_changes_nothing(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("2027-01-01,holiday,元旦\n2027-13-01,holiday,x\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("calendar_import", str(path), year=2027)
    assert caught.value.returncode == 2
    assert "第 2 行" in str(caught.value)
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_existing_year_without_replace_exits_2(tmp_path):
    path = tmp_path / "2026.csv"
    path.write_text("2026-05-01,holiday,劳动节\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("calendar_import", str(path), year=2026)
    assert caught.value.returncode == 2
    assert "--replace" in str(caught.value)


def test_missing_file_exits_2(tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("calendar_import", str(tmp_path / "nope.csv"), year=2027)
    assert caught.value.returncode == 2


def test_seed_loads_only_missing_years():
    CalendarDay.objects.filter(date__year=2010).delete()
    CalendarYear.objects.filter(year=2010).delete()
    out = io.StringIO()
    call_command("calendar_seed", stdout=out)
    assert "2010" in out.getvalue()
    assert CalendarDay.objects.filter(date__year=2010).count() == 365
    out = io.StringIO()
    call_command("calendar_seed", stdout=out)
    assert "无需载入" in out.getvalue()


def test_a_note_over_10000_characters_exits_2_and_changes_nothing(tmp_path, schedule_2027):
    path = tmp_path / "2027.csv"
    path.write_text(schedule_2027, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("calendar_import", str(path), year=2027, note="注" * 10_001)
    assert caught.value.returncode == 2
    assert "--note" in str(caught.value) and "10,000" in str(caught.value)
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()
