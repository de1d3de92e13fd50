from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldserviceConfig(AppConfig):
    name = "weibao.fieldservice"
    label = "fieldservice"
    verbose_name = _("现场服务")

    def ready(self) -> None:
        from weibao.core import event_kinds
        from weibao.documents import kinds as registry
        from weibao.fieldservice import event_kinds as visit_events
        from weibao.fieldservice import kinds
        from weibao.fieldservice.guards import open_visit_refusal
        from weibao.fieldservice.services.documents import complete_aftercare
        from weibao.fieldservice.services.resolution import report_resolution

        registry.register_kinds(
            kinds.ALL, on_signed={code: complete_aftercare for code in kinds.AFTERCARE_ACTIONS}
        )
        event_kinds.register(*visit_events.KINDS)
        _register_resolve_guard(open_visit_refusal)
        _register_on_resolved(report_resolution)


def _register_resolve_guard(guard) -> None:
    """A ticket with an open visit cannot be resolved (issue 9 #3): the guard joins the ticket
    flow's resolve guards. Older ticket flows without the registry simply go without it."""
    from weibao.tickets import flow

    register = getattr(flow, "register_resolve_guard", None)
    if register is not None:
        register(guard)


def _register_on_resolved(hook) -> None:
    """A phone or remote resolution gets its technical service report (issue 9 #4)."""
    from weibao.tickets import flow

    register = getattr(flow, "register_on_resolved", None)
    if register is not None:
        register(hook)
