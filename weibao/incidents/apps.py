from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "weibao.incidents"
    label = "incidents"
    verbose_name = _("告警事件")

    def ready(self) -> None:
        from weibao.core import due, event_kinds
        from weibao.incidents.event_kinds import KINDS
        from weibao.incidents.services import correlate

        event_kinds.register(*KINDS)
        due.register("incidents.correlate", correlate.correlate)
        due.register("incidents.settle", correlate.settle_flapping, every=due.BY_THE_MINUTE)
        due.register("incidents.recheck", correlate.recheck_suppressed, every=due.BY_THE_MINUTE)
