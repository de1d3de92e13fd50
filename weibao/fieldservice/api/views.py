"""The visits API: read visits in the user's scope; the engineer checks in and out from an
app (`POST …/check-in/` with an optional position, `POST …/check-out/`)."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from weibao.api.viewsets import ScopedReadOnlyViewSet
from weibao.fieldservice import services
from weibao.fieldservice.api.serializers import CheckInSerializer, VisitSerializer
from weibao.fieldservice.models import Visit


class VisitFilter(django_filters.FilterSet):
    class Meta:
        model = Visit
        fields = ["ticket", "engineer", "state"]


class VisitViewSet(ScopedReadOnlyViewSet):
    """On-site visits (现场服务). Customer users read their own organisation's."""

    queryset = Visit.objects.select_related("ticket", "engineer")
    serializer_class = VisitSerializer
    filterset_class = VisitFilter
    ordering_fields = ["confirmed_at", "checked_in_at", "id"]

    def _act(self, service, **kwargs):
        if self.request.user.customer_id:
            raise PermissionDenied("客户用户只能查看数据。")
        visit = service(self.get_object(), actor=self.request.user, **kwargs)
        return Response(self.get_serializer(self.get_queryset().get(pk=visit.pk)).data)

    @extend_schema(request=CheckInSerializer, responses={200: VisitSerializer})
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        body = CheckInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._act(services.check_in, **body.validated_data)

    @extend_schema(request=None, responses={200: VisitSerializer})
    @action(detail=True, methods=["post"], url_path="check-out")
    def check_out(self, request, pk=None):
        return self._act(services.check_out)
