from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlarmsConfig(AppConfig):
    name = "weibao.alarms"
    label = "alarms"
    verbose_name = _("监控告警")

    def ready(self) -> None:
        from weibao.alarms.tasks import PACE, SOURCES
        from weibao.core import due

        for name, process in SOURCES.items():
            due.register(name, process, every=PACE.get(name, 0))

        from weibao.core.embedded import register_companion, register_intake

        def alarm_listeners():
            from weibao.alarms.listeners.runner import ListenerRunner

            return ListenerRunner()

        register_companion("alarm listeners (SNMP, MQTT)", alarm_listeners)

        def intake(host: str, port: int, parent: int) -> list[str]:
            from weibao.alarms.intake_server import command

            return command(host, port, parent=parent)

        register_intake(intake)
