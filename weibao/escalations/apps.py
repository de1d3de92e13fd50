from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationsConfig(AppConfig):
    name = "weibao.escalations"
    label = "escalations"
    verbose_name = _("升级与应急")

    def ready(self) -> None:
        from weibao.core import due, event_kinds
        from weibao.escalations import desk
        from weibao.escalations.choices import EscalationEvent

        # the ladder, breaches and emergency actions are the provider's inside (PRM-1)
        event_kinds.register(
            *(event_kinds.EventKind(kind, customer_history=False) for kind in EscalationEvent)
        )
        due.register(desk.BREACHES, desk.breach_due_clocks)
        due.register(desk.STEPS, desk.fire_due_steps)
        due.register(desk.ACTIONS, desk.flag_overdue_actions)
