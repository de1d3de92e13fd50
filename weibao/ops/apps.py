from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "weibao.ops"
    label = "ops"
    verbose_name = _("运行监控")

    def ready(self) -> None:
        from weibao.core import due
        from weibao.ops.services import on_tick

        due.ticked.connect(on_tick, dispatch_uid="weibao.ops.heartbeat")
