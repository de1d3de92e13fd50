"""The alarm console's pages, mounted under /alarms/."""

from django.urls import path

from weibao.incidents import pages

app_name = "console"

urlpatterns = [
    path("", pages.alarm_list, name="alarms"),
    path("incidents/", pages.incident_list, name="incidents"),
    path("incidents/<int:pk>/", pages.incident_detail, name="incident"),
    path("incidents/<int:pk>/link/", pages.incident_link, name="incident-link"),
    path("incidents/<int:pk>/split/", pages.incident_split, name="incident-split"),
    path("sources/", pages.source_health, name="sources"),
    path("site/<int:pk>/", pages.site_alarms, name="site"),
    path("asset/<int:pk>/", pages.asset_alarms, name="asset"),
]
