"""Corrections and imports: validated first, atomic, and seen by the arithmetic at once."""

import datetime as dt

import pytest

from weibao.calendars import services, workdays
from weibao.calendars.errors import CalendarImportInvalid, CalendarYearMissing
from weibao.calendars.models import CalendarDay, CalendarYear
from weibao.calendars.schedule import parse_schedule
from weibao.calendars.workdays import add_working_days, is_working_day, working_days_between
from weibao.core.errors import DomainError
from weibao.core.models import ChangeLog

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def user(staff):
    """Calendar writes need `config.edit` (issue 10): the editor here is an administrator."""
    return staff


def test_a_user_without_config_edit_changes_nothing(schedule_2027, db):
    from django.contrib.auth import get_user_model

    from weibao.core.permissions import PermissionRefused

    planner = get_user_model().objects.create_user(username="plain", password="pw-123456")
    with pytest.raises(PermissionRefused):
        services.correct_day(D(2026, 10, 8), is_working_day=False, name="x", actor=planner)
    with pytest.raises(PermissionRefused):
        services.forget_year(2026, actor=planner)
    assert is_working_day(D(2026, 10, 8)) and CalendarYear.objects.filter(year=2026).exists()


def test_import_2027_makes_2027_answerable(schedule_2027, user):
    with pytest.raises(CalendarYearMissing):
        add_working_days(D(2026, 12, 31), 1)

    row = services.import_year(2027, schedule_2027, actor=user, note="国办发明电〔2026〕X号")

    assert (row.source, row.official) == ("import", True)
    assert CalendarDay.objects.filter(date__year=2027).count() == 365
    # Thu 31 Dec 2026 -> 1-3 Jan off -> Mon 4 Jan (1).
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    # Thu 4 Feb -> 5-11 off -> Fri 12 (1), Sat 13 make-up (2), Mon 15 (3).
    assert add_working_days(D(2027, 2, 4), 3) == D(2027, 2, 15)
    # Sun 20 Dec 2026: 21-25 (5), 28-31 (9); 2027: 4-8 Jan (14), 11-15 (19), 18-22 (24),
    # 25-29 (29), Mon 1 Feb (30).
    assert add_working_days(D(2026, 12, 20), 30) == D(2027, 2, 1)
    assert working_days_between(D(2026, 12, 20), D(2027, 2, 1)) == 30
    day = CalendarDay.objects.get(date=D(2027, 2, 13))
    assert (day.is_working_day, day.name, day.source, day.updated_by) == (
        True,
        "调休上班",
        "import",
        user,
    )
    assert CalendarDay.objects.get(date=D(2027, 3, 6)).is_working_day is False  # Saturday
    assert ChangeLog.objects.filter(kind="calendar_import", object_id="2027").exists()


@pytest.mark.parametrize(
    ("bad_line", "words"),
    [
        ("2027-02-30,holiday,春节", "不存在"),
        ("2027/02/03,holiday,春节", "格式无效"),
        ("2028-01-01,holiday,元旦", "不在 2027 年内"),
        ("2027-02-12,vacation,春节", "类型“vacation”无效"),
        ("2027-01-01,holiday,元旦", "重复（已在第 2 行出现）"),
        ("2027-02-12,workday,调休上班", "本来就是工作日"),
        ("2027-02-12", "日期,类型"),
    ],
)
def test_bad_line_is_named_and_nothing_is_written(bad_line, words, user):
    text = f"# 2027\n2027-01-01,holiday,元旦\n{bad_line}\n2027-02-13,workday\n"
    with pytest.raises(CalendarImportInvalid) as caught:
        services.import_year(2027, text, actor=user)
    assert caught.value.code == "calendar_import_invalid"
    assert caught.value.problems[0][0] == 3
    assert "第 3 行" in caught.value.message
    assert words in caught.value.message
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_empty_schedule_is_refused(user):
    with pytest.raises(CalendarImportInvalid, match="没有任何 2027 年"):
        services.import_year(2027, "# nothing\n\n", actor=user)


def test_reimport_needs_replace(schedule_2027, user):
    services.import_year(2027, schedule_2027, actor=user)
    with pytest.raises(DomainError) as caught:
        services.import_year(2027, "2027-05-01,holiday,劳动节\n", actor=user)
    assert caught.value.code == "calendar_year_exists"
    assert "--replace" in caught.value.message
    assert CalendarDay.objects.get(date=D(2027, 1, 1)).is_working_day is False

    services.import_year(2027, "2027-05-03,holiday,劳动节\n", actor=user, replace=True)
    assert CalendarDay.objects.get(date=D(2027, 1, 1)).is_working_day is True
    assert is_working_day(D(2027, 5, 3)) is False
    assert is_working_day(D(2027, 1, 1)) is True


def test_seeded_year_is_not_overwritten_without_replace(user):
    with pytest.raises(DomainError, match="2026 年的工作日历已存在"):
        services.import_year(2026, "2026-05-01,holiday,劳动节\n", actor=user)


def test_correct_day_changes_the_answer_immediately(user):
    # Mon 28 Sep -> 29 (1), 30 (2), Thu 8 Oct (3).
    assert add_working_days(D(2026, 9, 28), 3) == D(2026, 10, 8)

    services.correct_day(D(2026, 10, 8), is_working_day=False, name="国庆节", actor=user)

    assert add_working_days(D(2026, 9, 28), 3) == D(2026, 10, 9)
    row = CalendarDay.objects.get(date=D(2026, 10, 8))
    assert (row.source, row.updated_by, row.name) == ("manual", user, "国庆节")
    assert ChangeLog.objects.filter(object_id=str(row.pk), action="update").exists()


def test_correct_day_in_unknown_year_is_refused(user):
    with pytest.raises(CalendarYearMissing):
        services.correct_day(D(2027, 1, 4), is_working_day=False, name="", actor=user)


def test_changes_by_another_process_are_seen_after_the_recheck(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(workdays, "_monotonic", lambda: clock[0])
    assert is_working_day(D(2026, 10, 9)) is True

    # another process corrects the day: nothing here calls invalidate_index()
    CalendarDay.objects.filter(date=D(2026, 10, 9)).update(
        is_working_day=False, updated_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    )
    clock[0] += 10
    assert is_working_day(D(2026, 10, 9)) is True  # within 30 s the index is trusted
    clock[0] += workdays.RECHECK_SECONDS
    assert is_working_day(D(2026, 10, 9)) is False


def test_forget_year_makes_it_unknown(user):
    services.forget_year(2004, actor=user)
    with pytest.raises(CalendarYearMissing):
        is_working_day(D(2004, 6, 1))
    assert services.seed_from_package(actor=user) == [2004]
    assert is_working_day(D(2004, 6, 1)) is True


def test_a_loaded_year_after_a_gap_does_not_bridge_it(user):
    services.import_year(2028, "2028-01-01,holiday,元旦\n", actor=user)
    assert add_working_days(D(2028, 1, 3), 1) == D(2028, 1, 4)
    with pytest.raises(CalendarYearMissing) as caught:
        add_working_days(D(2026, 12, 30), 300)
    assert caught.value.year == 2027


def test_replace_updates_rows_in_place(schedule_2027, user):
    services.import_year(2027, schedule_2027, actor=user)
    before = CalendarDay.objects.get(date=D(2027, 1, 1)).pk
    services.import_year(2027, schedule_2027, actor=user, replace=True)
    assert CalendarDay.objects.get(date=D(2027, 1, 1)).pk == before
    assert CalendarDay.objects.filter(date__year=2027).count() == 365


def test_schedule_accepts_chinese_kinds_and_separators():
    entries = parse_schedule(2027, "2027-10-01\t休\t国庆节\n2027-09-26，班\n\ufeff\n")
    assert entries[D(2027, 10, 1)].is_working_day is False
    assert entries[D(2027, 10, 1)].name == "国庆节"
    assert entries[D(2027, 9, 26)].is_working_day is True
    assert entries[D(2027, 9, 26)].name == "调休上班"
