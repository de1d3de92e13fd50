from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "weibao.calendars"
    label = "calendars"
    verbose_name = _("工作日历")

    def ready(self) -> None:
        from weibao.calendars.tasks import SOURCES
        from weibao.core import due

        for name, process in SOURCES.items():
            due.register(name, process, every=due.BY_THE_DAY)
