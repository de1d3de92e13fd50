from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "weibao.library"
    label = "library"
    verbose_name = _("资料与版本")

    def ready(self) -> None:
        from weibao.core import due
        from weibao.library.services.coverage import send_coverage_reminders

        due.register("library.coverage_reminders", send_coverage_reminders, every=due.BY_THE_DAY)
