import django_filters
from django.db.models import Count

from weibao.accounts.capabilities import Capability
from weibao.api.exports import ListExport
from weibao.api.viewsets import ScopedModelViewSet
from weibao.sites import columns
from weibao.sites.api.serializers import SiteSerializer
from weibao.sites.models import Site


class SiteFilter(django_filters.FilterSet):
    class Meta:
        model = Site
        fields = ["customer", "kind", "service_point", "parent"]


class SiteViewSet(ListExport, ScopedModelViewSet):
    """Sites (机房) of customers. Another customer's site answers 404. `export/` as Excel."""

    export_name = "sites"

    def columns_for(self, request):
        return columns.site_columns(request.user)

    def export_rows(self, rows):
        return rows.annotate(asset_count=Count("assets"))

    queryset = Site.objects.select_related("service_point", "customer")
    serializer_class = SiteSerializer
    filterset_class = SiteFilter
    search_fields = ["name", "code", "address"]
    ordering_fields = ["name", "code", "kind", "id"]
    write_capability = Capability.MASTER_EDIT
