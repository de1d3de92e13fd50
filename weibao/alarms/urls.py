"""Alarm intake addresses, mounted under /api/ (a trailing slash is optional: senders are
configured by hand)."""

from django.urls import re_path

from weibao.alarms import views

app_name = "alarms"

KINDS = "alertmanager|grafana|zabbix|generic|b-interface"

urlpatterns = [
    re_path(r"^v2/alerts/?$", views.alertmanager_api_alerts, name="am-api-alerts"),
    re_path(
        rf"^alarms/(?P<kind>{KINDS})/(?P<slug>[-\w]+)/?$",
        views.receive_for_source,
        name="receive",
    ),
]
