from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationsConfig(AppConfig):
    name = "weibao.escalations"
    label = "escalations"
    verbose_name = _("升级与应急")

    def ready(self) -> None:
        from weibao.core import due
        from weibao.escalations import desk

        due.register(desk.BREACHES, desk.breach_due_clocks)
        due.register(desk.STEPS, desk.fire_due_steps)
        due.register(desk.ACTIONS, desk.flag_overdue_actions)
