"""The alarm console's API, the twin of its pages (`incidents.pages`): the alarm list with the
same filters (customer, site, severity, state, source, `q`), sort (`?sort=`, the page's column
keys) and Excel export (`…/export/`); the incident list likewise and one incident with its alarm
timeline; the health of every alarm source. Reading needs `alarm.view` in the matrix
(403 `permission_denied` otherwise); a customer's user reads only their own (another
customer's incident answers 404) and not the sources."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from weibao.accounts.capabilities import Capability
from weibao.alarms.models import Alarm, AlarmSource
from weibao.api.nullable import EmptyChoicesAsNull
from weibao.api.schema import error_responses
from weibao.core import permissions
from weibao.core.listing import XLSX_CONTENT_TYPE, Listing
from weibao.incidents import console, selectors
from weibao.incidents.api import serializers as incident_serializers
from weibao.incidents.columns import ALARM_COLUMNS, INCIDENT_COLUMNS

ERRORS = error_responses(
    e403="`permission_denied`: `alarm.view` is needed",
    e404="not found (or another customer's)",
)
INCIDENT_FILTERS = ("customer", "site", "state", "level")


def _params(*names: str) -> list[OpenApiParameter]:
    return [OpenApiParameter(name, str, description=f"filter by {name}") for name in names]


ALARM_PARAMS = _params("customer", "site", "severity", "state", "source", "q", "sort")
INCIDENT_PARAMS = _params("customer", "site", "state", "level", "q", "sort")


def _wanted(request, names) -> dict:
    return console.clean_filters(request.query_params, names)


class AlarmSerializer(EmptyChoicesAsNull, serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", default=None, read_only=True)
    asset_name = serializers.CharField(source="asset.name", default=None, read_only=True)

    class Meta:
        model = Alarm
        fields = [
            "id", "source", "key", "customer", "site", "site_name", "asset", "asset_name",
            "name", "severity", "suggested_level", "labels", "description", "site_ref",
            "asset_ref", "state", "starts_at", "ends_at", "first_seen", "last_seen",
            "repeat_count", "resolved_at",
        ]  # fmt: skip
        read_only_fields = fields


class SourceHealthSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    kind = serializers.CharField()
    customer = serializers.IntegerField()
    customer_name = serializers.CharField()
    enabled = serializers.BooleanField()
    received = serializers.IntegerField()
    rejected = serializers.IntegerField()
    errors = serializers.IntegerField()
    last_received_at = serializers.DateTimeField(allow_null=True)
    last_error = serializers.CharField()
    rate_per_minute = serializers.FloatField(help_text="alarms a minute over the last 15 min")
    deliveries_recent = serializers.IntegerField()
    firing = serializers.IntegerField()
    silent = serializers.BooleanField(help_text="enabled, nothing received for 15 min")


def _refuse(user):
    denied = permissions.refusal(user, Capability.ALARM_VIEW)
    raise PermissionDenied(detail=str(denied.message), code=denied.code)


class _AlarmReader:
    """Every action needs `alarm.view` in the matrix."""

    permission_classes = [IsAuthenticated]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not console.can_view(request.user):
            _refuse(request.user)


class _ConsoleReads(_AlarmReader):
    columns = ()
    default_sort = ""
    search_fields = ()
    export_name = ""

    def _listing(self) -> Listing:
        return Listing(
            self.request, self.get_queryset(), columns=self.columns,
            default_sort=self.default_sort, search_fields=self.search_fields,
            export_name=self.export_name,
        )  # fmt: skip

    def list(self, request, *args, **kwargs):
        rows = self.paginate_queryset(self._listing().queryset)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    @extend_schema(
        responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY, **ERRORS},
        summary="The list as an Excel file (same filters, search and order; every page)",
    )
    @action(detail=False, methods=["get"])
    def export(self, request):
        return self._listing().export()


@extend_schema(parameters=ALARM_PARAMS)
class AlarmViewSet(_ConsoleReads, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                   viewsets.GenericViewSet):  # fmt: skip
    """Alarms as the console lists them (latest seen first)."""

    serializer_class = AlarmSerializer
    columns = ALARM_COLUMNS
    default_sort = "-last_seen"
    search_fields = ("name", "description", "asset_ref", "site_ref", "asset__name")
    export_name = "alarms"

    def get_queryset(self):
        if self.action not in ("list", "export"):
            return console.alarms_for(self.request.user)
        return console.alarms_for(self.request.user, **_wanted(self.request, console.ALARM_FILTERS))


@extend_schema(parameters=INCIDENT_PARAMS)
class IncidentViewSet(_ConsoleReads, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):  # fmt: skip
    """Incidents as the console lists them (newest first), filtered by customer, site, state
    and level; one incident answers with its alarms (latest seen first). Linking and
    splitting are `incidents.api.views.IncidentActionsViewSet`, on the same prefix."""

    columns = INCIDENT_COLUMNS
    default_sort = "-opened"
    search_fields = ("title", "rule", "ticket__number")
    export_name = "incidents"

    def get_serializer_class(self):
        if self.action == "retrieve":
            return incident_serializers.IncidentDetailSerializer
        return incident_serializers.IncidentSerializer

    def get_queryset(self):
        if self.action not in ("list", "export"):
            return selectors.incidents_for(self.request.user)
        return selectors.incidents_for(self.request.user, **_wanted(self.request, INCIDENT_FILTERS))


@extend_schema(responses={200: SourceHealthSerializer(many=True), **ERRORS})
class AlarmSourceHealthViewSet(_AlarmReader, viewsets.GenericViewSet):
    """Every alarm source with its health (provider staff): last received, the rate over the
    last 15 minutes, rejects, errors and its firing alarms."""

    serializer_class = SourceHealthSerializer
    pagination_class = None
    queryset = AlarmSource.objects.none()  # the schema's model; rows come from the selector

    def list(self, request):
        if request.user.customer_id:
            _refuse(None)
        customer = _wanted(request, ("customer",))["customer"]
        rows = console.source_health(request.user, customer=customer)
        return Response(SourceHealthSerializer([h.as_dict() for h in rows], many=True).data)
