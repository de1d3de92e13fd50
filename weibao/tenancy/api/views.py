from django.db.models import Count
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from weibao.accounts.capabilities import Capability
from weibao.api.exports import ListExport
from weibao.api.viewsets import ScopedModelViewSet
from weibao.tenancy import columns
from weibao.tenancy.api.serializers import (
    CallerQuerySerializer,
    CallerSerializer,
    CustomerSerializer,
    ServicePointSerializer,
)
from weibao.tenancy.models import Customer, ServicePoint
from weibao.tenancy.selectors import CALLER_MIN_DIGITS, callers_by_phone


class CustomerViewSet(ListExport, ScopedModelViewSet):
    """Customers (客户) with their contacts; `export/` as Excel."""

    export_columns = columns.CUSTOMER_COLUMNS
    export_name = "customers"

    def export_rows(self, rows):
        return rows.annotate(site_count=Count("sites", distinct=True))

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


@extend_schema(
    parameters=[
        OpenApiParameter(
            "phone",
            OpenApiTypes.STR,
            required=True,
            description="The caller's number, or its last digits (at least "
            f"{CALLER_MIN_DIGITS}); spaces, dashes and +86 are ignored.",
        )
    ],
    responses=CallerSerializer(many=True),
    summary="Who is calling? The contacts whose phone number ends with these digits",
)
@api_view(["GET"])
def contact_lookup(request):
    """The contacts the user may see whose number ends with `phone`'s digits (at most 8,
    exact numbers first): the phone intake's caller lookup. Fewer digits find nobody."""
    query = CallerQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    callers = callers_by_phone(request.user, query.validated_data["phone"])
    return Response(CallerSerializer(callers, many=True).data)
