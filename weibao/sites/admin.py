from django.contrib import admin

from weibao.core.concurrency import VersionedAdmin
from weibao.sites.models import Site


@admin.register(Site)
class SiteAdmin(VersionedAdmin):
    list_display = ["code", "name", "kind", "customer", "service_point", "road_distance_km"]
    list_filter = ["kind", "customer", "service_point"]
    search_fields = ["name", "code", "address"]
    autocomplete_fields = ["parent"]
