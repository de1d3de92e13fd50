import django_filters

from weibao.accounts.capabilities import Capability
from weibao.api.viewsets import ScopedModelViewSet
from weibao.sites.api.serializers import SiteSerializer
from weibao.sites.models import Site


class SiteFilter(django_filters.FilterSet):
    class Meta:
        model = Site
        fields = ["customer", "kind", "service_point", "parent"]


class SiteViewSet(ScopedModelViewSet):
    """Sites (机房) of customers. Another customer's site answers 404."""

    queryset = Site.objects.select_related("service_point", "customer")
    serializer_class = SiteSerializer
    filterset_class = SiteFilter
    search_fields = ["name", "code", "address"]
    ordering_fields = ["name", "code", "kind", "id"]
    write_capability = Capability.MASTER_EDIT
