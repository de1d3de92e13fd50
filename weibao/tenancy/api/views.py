from rest_framework import viewsets

from weibao.accounts.capabilities import Capability
from weibao.api.viewsets import ScopedModelViewSet
from weibao.tenancy.api.serializers import CustomerSerializer, ServicePointSerializer
from weibao.tenancy.models import Customer, ServicePoint


class CustomerViewSet(ScopedModelViewSet):
    """Customers (客户) with their contacts."""

    queryset = Customer.objects.select_related("provider").prefetch_related("contacts")
    serializer_class = CustomerSerializer
    filterset_fields = ["code"]
    search_fields = ["name", "code"]
    ordering_fields = ["name", "code", "id"]
    write_capability = Capability.MASTER_EDIT

    def save_new(self, serializer):
        provider = self.request.user.provider
        if provider is None:
            from weibao.tenancy.models import Provider

            provider = Provider.objects.order_by("id").first()
        serializer.save(provider=provider)


class ServicePointViewSet(viewsets.ReadOnlyModelViewSet):
    """Service points (服务网点) of the provider; arrival distances start here."""

    queryset = ServicePoint.objects.order_by("name")
    serializer_class = ServicePointSerializer
    search_fields = ["name", "address"]
