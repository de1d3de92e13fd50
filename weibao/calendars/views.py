"""The month page of the working-day calendar."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from weibao.core import clock

from .models import WEEKDAY_NAMES
from .selectors import month_grid

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def _parse_month(value: str) -> dt.date | None:
    match = _MONTH.match(value.strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        return None
    return dt.date(year, month, 1)


@login_required
def month(request):
    """A month grid (`?month=YYYY-MM`, default this month): working days, days off, holiday
    names and 调休 make-up days."""
    today = clock.today()
    first = today.replace(day=1)
    if "month" in request.GET:
        parsed = _parse_month(request.GET["month"])
        if parsed is None:
            messages.error(request, _("月份格式应为 YYYY-MM，已显示本月。"))
        else:
            first = parsed
    grid = month_grid(first, today=today)
    return render(
        request,
        "calendars/month.html",
        {"grid": grid, "weekday_names": WEEKDAY_NAMES, "today": today},
    )
