from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "weibao.inspections"
    label = "inspections"
    verbose_name = _("巡检")

    def ready(self) -> None:
        from weibao.calendars.signals import year_imported
        from weibao.core import due, event_kinds
        from weibao.inspections import paperwork, tasks
        from weibao.inspections.choices import InspectionEvent

        # a ticket opened from a finding is told by the ticket's own timeline
        event_kinds.register(
            event_kinds.EventKind(InspectionEvent.TICKET_FROM_INSPECTION, customer_history=False)
        )
        due.register("inspections.reminders", tasks.send_due_reminders, every=due.BY_THE_DAY)
        due.register("inspections.provisional", tasks.settle_provisional, every=due.BY_THE_DAY)
        paperwork.register_kinds()
        year_imported.connect(tasks.settle_on_import, dispatch_uid="inspections.settle")
