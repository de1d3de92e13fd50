from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "weibao.tickets"
    label = "tickets"
    verbose_name = _("工单")

    def ready(self) -> None:
        from weibao.core import event_kinds
        from weibao.tickets.event_kinds import KINDS

        event_kinds.register(*KINDS)
