from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldserviceConfig(AppConfig):
    name = "weibao.fieldservice"
    label = "fieldservice"
    verbose_name = _("现场服务")

    def ready(self) -> None:
        from weibao.fieldservice.kinds import register_all

        register_all()
