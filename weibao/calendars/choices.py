"""Choices of the working-day calendar."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarSource(models.TextChoices):
    """Where a year's or a day's working-day status came from."""

    SEED = "seed", _("内置数据 chinesecalendar")
    IMPORT = "import", _("国务院通知导入")
    MANUAL = "manual", _("手工")


#: The name given to a weekend day that is a working day (调休 make-up day).
MAKEUP_DAY_NAME = "调休上班"
