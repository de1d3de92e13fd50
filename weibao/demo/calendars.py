"""Demo data for the working-day calendar: a draft of next year's State Council notice, left
for the administrator to preview and import (管理 → 工作日历 → 导入国务院放假安排 → 草稿).

The text is illustrative — the real notice is published by the State Council; the draft's
note says so. Idempotent: nothing is written when the year is loaded or a draft exists.
"""

from __future__ import annotations

from django.db import transaction

from weibao.calendars.models import CalendarYear, ScheduleDraft
from weibao.core import clock

#: An illustrative notice in the published form for the year after 2026.
NOTICE_2027 = """\
国务院办公厅关于2027年部分节假日安排的通知（演示草稿，非正式通知）
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至13日（农历正月初八、周六）放假调休，共9天。2月20日（周六）、2月28日（周日）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）上班。
五、端午节：6月9日（周三）放假，共1天。
六、中秋节：9月15日（周三）放假，共1天。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
"""


@transaction.atomic
def load_calendar_drafts() -> None:
    """Leave next year's notice as a draft to preview and import, if the year is missing."""
    year = clock.today().year + 1
    if year != 2027 or CalendarYear.objects.filter(year=year).exists():
        return
    ScheduleDraft.objects.get_or_create(
        year=year, defaults={"text": NOTICE_2027, "note": "演示草稿：请以国务院办公厅正式通知为准"}
    )
