import django_filters
from rest_framework import viewsets

from weibao.accounts.capabilities import Capability
from weibao.api.exports import ListExport
from weibao.api.viewsets import ScopedModelViewSet
from weibao.assets import columns
from weibao.assets.api.serializers import AssetCategorySerializer, AssetSerializer
from weibao.assets.models import Asset, AssetCategory


class AssetFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(field_name="category__code")
    serial_number = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Asset
        fields = ["customer", "site", "category", "owner", "repair_origin", "status"]


class AssetViewSet(ListExport, ScopedModelViewSet):
    """Equipment (设备) at customer sites. Another customer's asset answers 404. `export/`
    as Excel."""

    export_columns = columns.ASSET_COLUMNS
    export_name = "assets"

    queryset = Asset.objects.select_related("category", "site")
    serializer_class = AssetSerializer
    filterset_class = AssetFilter
    search_fields = ["name", "model", "serial_number"]
    ordering_fields = ["name", "serial_number", "id"]
    write_capability = Capability.MASTER_EDIT


class AssetCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = AssetCategory.objects.all()
    serializer_class = AssetCategorySerializer
    pagination_class = None
