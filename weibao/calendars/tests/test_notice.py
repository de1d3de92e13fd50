"""Importing the State Council notice as published: parsed into exactly the bundled days,
previewed before saving, refused line by line when malformed (nothing saved)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from weibao.calendars import seed, services
from weibao.calendars.errors import CalendarImportInvalid
from weibao.calendars.models import CalendarYear, ScheduleDraft
from weibao.calendars.schedule import year_days

pytestmark = pytest.mark.django_db

#: 国办发明电〔2025〕7号, as published (verified against the chinesecalendar data).
NOTICE_2026 = """\
国务院办公厅关于2026年部分节假日安排的通知
国办发明电〔2025〕7号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，确保人民群众祥和平安度过节日假期。
国务院办公厅
2025年11月4日
"""

MALFORMED_2027 = """\
一、元旦：1月1日至3日放假，共4天。
二、春节：2月5日至13日放假调休，共9天。2月9日（周二）上班。
三、清明节：4月5号放假。
劳动节 5月1日至5日放假
五、端午节：13月1日放假。
六、中秋节：9月15日放假，共1天。
"""


def test_the_2026_notice_gives_exactly_the_bundled_2026_days():
    reading = services.read_schedule(2026, NOTICE_2026)
    assert reading.from_notice
    parsed = list(year_days(2026, reading.entries))
    assert parsed == list(seed.package_days(2026))
    assert (reading.holidays, reading.makeup_days) == (33, 6)
    assert [n for n, _line in reading.ignored] == [1, 2, 3, 4, 12, 13, 14]


def test_items_pasted_on_one_line_are_read():
    text = "一、元旦：1月1日（周五）放假，与周末连休。二、春节：2月11日至17日放假调休，共7天。"
    text += "2月7日（周日）、2月20日（周六）上班。"
    entries = services.read_schedule(2021, text).entries
    assert sorted(d for d, e in entries.items() if e.is_working_day) == [
        dt.date(2021, 2, 7),
        dt.date(2021, 2, 20),
    ]
    assert len([e for e in entries.values() if not e.is_working_day]) == 8


@pytest.mark.parametrize(
    ("line", "says"),
    [
        (1, "共 4 天"),
        (2, "既放假又上班"),
        (3, "没有日期"),
        (4, "无法识别"),
        (5, "不存在"),
    ],
)
def test_a_malformed_notice_is_refused_line_by_line(line, says):
    with pytest.raises(CalendarImportInvalid) as refused:
        services.import_year(2027, MALFORMED_2027, actor=None)
    assert any(n == line and says in message for n, message in refused.value.problems), (
        refused.value.problems
    )
    assert 6 not in [n for n, _m in refused.value.problems]
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_notice_for_another_year_is_refused():
    with pytest.raises(CalendarImportInvalid) as refused:
        services.read_schedule(2027, NOTICE_2026)
    assert refused.value.problems[0][0] == 1


def test_admin_previews_the_notice_before_saving_then_imports(client, staff):
    client.force_login(staff)
    url = reverse("admin:calendars_calendaryear_import")
    services.forget_year(2026, actor=staff)
    # preview: twelve month grids, nothing saved
    response = client.post(url, {"year": 2026, "text": NOTICE_2026, "action": "preview"})
    assert response.status_code == 200
    assert len(response.context["preview"]["months"]) == 12
    assert 'data-testid="import-preview"' in response.content.decode()
    assert not CalendarYear.objects.filter(year=2026).exists()
    # confirm: imported
    response = client.post(url, {"year": 2026, "text": NOTICE_2026, "action": "import"})
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2026).source == "import"


def test_admin_preview_names_every_unread_line_and_keeps_the_text(client, staff):
    client.force_login(staff)
    url = reverse("admin:calendars_calendaryear_import")
    response = client.post(url, {"year": 2027, "text": MALFORMED_2027, "action": "preview"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="import-problems"' in page
    assert [n for n, _m in response.context["problems"]][:2] == [1, 2]
    assert "劳动节 5月1日至5日放假" in page  # the typed text is still there
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_admin_keeps_a_draft_and_opens_it(client, staff):
    client.force_login(staff)
    url = reverse("admin:calendars_calendaryear_import")
    client.post(url, {"year": 2027, "text": MALFORMED_2027, "action": "draft"})
    assert ScheduleDraft.objects.get(year=2027).text.strip() == MALFORMED_2027.strip()
    page = client.get(url, {"draft": 2027}).content.decode()
    assert "劳动节 5月1日至5日放假" in page


def test_command_imports_the_notice_text(tmp_path):
    CalendarYear.objects.filter(year=2026).delete()
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE_2026, encoding="utf-8")
    call_command("calendar_import", str(path), year=2026, stdout=io.StringIO())
    assert CalendarYear.objects.get(year=2026).source == "import"


def test_command_refuses_a_malformed_notice_with_every_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text(MALFORMED_2027, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("calendar_import", str(path), year=2027)
    assert caught.value.returncode == 2
    assert all(f"第 {n} 行" in str(caught.value) for n in (1, 2, 3, 4, 5))


def test_calendar_writes_need_config_edit(user, schedule_2027):
    from weibao.core.permissions import PermissionRefused

    with pytest.raises(PermissionRefused):
        services.import_year(2027, schedule_2027, actor=user)
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_command_previews_without_saving(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE_2026, encoding="utf-8")
    CalendarYear.objects.filter(year=2026).delete()
    out = io.StringIO()
    call_command("calendar_import", str(path), year=2026, preview=True, stdout=out)
    assert "2026-02-14 上班 调休上班" in out.getvalue() and "未保存" in out.getvalue()
    assert not CalendarYear.objects.filter(year=2026).exists()
