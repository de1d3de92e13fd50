"""Choices of the alarm intake (ALM-1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    ALERTMANAGER = "alertmanager", _("Alertmanager webhook")
    AM_API = "am_api", _("Alertmanager 兼容接口（/api/v2/alerts）")
    GRAFANA = "grafana", _("Grafana webhook")
    ZABBIX = "zabbix", _("Zabbix webhook")
    GENERIC = "generic", _("通用 JSON")
    B_INTERFACE = "b_interface", _("铁塔/运营商 B 接口")
    SNMP = "snmp", _("SNMP trap")
    MQTT = "mqtt", _("MQTT")


class Severity(models.TextChoices):
    CRITICAL = "critical", _("严重")
    MAJOR = "major", _("主要")
    MINOR = "minor", _("次要")
    WARNING = "warning", _("警告")
    INFO = "info", _("提示")


class AlarmState(models.TextChoices):
    FIRING = "firing", _("告警中")
    RESOLVED = "resolved", _("已恢复")


class ChangeKind(models.TextChoices):
    RAISED = "raised", _("产生")
    RESOLVED = "resolved", _("恢复")
