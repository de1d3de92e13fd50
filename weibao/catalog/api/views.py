from rest_framework import viewsets

from weibao.catalog.api.serializers import (
    PlanSerializer,
    ServiceCategorySerializer,
    ServiceItemSerializer,
)
from weibao.catalog.models import Plan, ServiceCategory, ServiceItem


class ServiceCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The service catalog (表 01): categories with their items."""

    queryset = ServiceCategory.objects.prefetch_related("items")
    serializer_class = ServiceCategorySerializer
    filterset_fields = ["code"]


class ServiceItemViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = ServiceItem.objects.select_related("category")
    serializer_class = ServiceItemSerializer
    filterset_fields = ["code", "slug", "category__code"]
    search_fields = ["name", "name_en"]


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Plans (服务等级) with every entitlement, its quantity and period (表 02)."""

    queryset = Plan.objects.prefetch_related("entitlements__item")
    serializer_class = PlanSerializer
    filterset_fields = ["code"]
