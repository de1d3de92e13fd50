"""The incidents API: incidents (a customer's users see only theirs) with link and split
actions, maintenance windows set by hand (and those in force, wherever they come from), the
classification rules and their dry run. Who may do what is checked by the services and
selectors (PRM-1, 403 `permission_denied`)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from weibao.accounts.capabilities import Capability
from weibao.api.actions import ServiceActions
from weibao.api.schema import answers, error_responses
from weibao.api.viewsets import CapabilityWrites, IsProviderStaffOrReadOnly
from weibao.incidents import selectors
from weibao.incidents.api import serializers as s
from weibao.incidents.services import manage

ERRORS = error_responses(
    e400="Refused: `wrong_customer`, `ticket_not_open`, `already_linked`, `nothing_to_split`, "
    "`incident_resolved`, `invalid_period`, `target_required`, `window_over`",
)


class IncidentActionsViewSet(ServiceActions, viewsets.GenericViewSet):
    """What staff do with an incident (ALM-3): link it to an existing ticket (a call came in
    first), or split it off a ticket it shares into a ticket of its own. Answers the incident
    with its alarms. (The incident list and detail are the console's, on the same prefix.)"""

    serializer_class = s.IncidentDetailSerializer

    def get_queryset(self):
        return selectors.incidents_for(self.request.user)

    @extend_schema(request=s.LinkSerializer, responses=answers(s.IncidentDetailSerializer,
                                                               errors=ERRORS))  # fmt: skip
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        return self._act(
            request,
            s.LinkSerializer,
            lambda incident, data: manage.link_incident(
                incident, ticket=data["ticket"], actor=request.user
            ),
        )

    @extend_schema(request=None, responses=answers(s.IncidentDetailSerializer, errors=ERRORS))
    @action(detail=True, methods=["post"])
    def split(self, request, pk=None):
        return self._act(request, None, lambda incident, data: (
            manage.split_incident(incident, actor=request.user)))  # fmt: skip


class MaintenanceWindowViewSet(
    ServiceActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Maintenance windows set by hand over a site (and the sites below it) or one asset:
    alarms are kept, incidents open no ticket. `in-force` lists every window in force now
    for a site or asset, including planned inspections and approved major operations."""

    serializer_class = s.WindowSerializer
    filterset_fields = ["customer", "site", "asset"]

    def get_queryset(self):
        return selectors.windows_for(self.request.user)

    @extend_schema(request=s.WindowSerializer, responses=answers(s.WindowSerializer, 201,
                                                                 errors=ERRORS))  # fmt: skip
    def create(self, request, *args, **kwargs):
        body = s.WindowSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        window = manage.set_window(**body.validated_data, actor=request.user)
        return self._answer(window, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=answers(s.WindowSerializer, errors=ERRORS))
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        return self._act(request, None, lambda window, data: (
            manage.end_window(window, actor=request.user)))  # fmt: skip

    @extend_schema(parameters=[s.WindowQuerySerializer],
                   responses=answers(s.WindowInForceSerializer(many=True)))  # fmt: skip
    @action(detail=False, methods=["get"], url_path="in-force", pagination_class=None)
    def in_force(self, request):
        query = s.WindowQuerySerializer(data=request.query_params,
                                        context=self.get_serializer_context())  # fmt: skip
        query.is_valid(raise_exception=True)
        windows = selectors.windows_now(request.user, **query.validated_data)
        return Response(s.WindowInForceSerializer(windows, many=True).data)


class ClassificationRuleViewSet(CapabilityWrites, viewsets.ModelViewSet):
    """The FLT-2 classification rules as data (administrators edit them: `config.edit`), and
    the dry run: what the active rules (or one rule alone) would have opened over the last
    days ("would have opened 3 L1 and 12 L2 tickets")."""

    serializer_class = s.RuleSerializer
    permission_classes = [IsProviderStaffOrReadOnly]
    write_capability = Capability.CONFIG_EDIT
    pagination_class = None

    def get_queryset(self):
        return selectors.rules_for(self.request.user)

    def _dry_run(self, request, rule=None):
        query = s.DryRunQuerySerializer(data=request.query_params,
                                        context=self.get_serializer_context())  # fmt: skip
        query.is_valid(raise_exception=True)
        result = selectors.dry_run(request.user, rule=rule, **query.validated_data)
        return Response(s.DryRunSerializer(result).data)

    @extend_schema(parameters=[s.DryRunQuerySerializer], responses=answers(s.DryRunSerializer),
                   operation_id="incident_rules_dry_run")  # fmt: skip
    @action(detail=False, methods=["get"], url_path="dry-run")
    def dry_run(self, request):
        return self._dry_run(request)

    @extend_schema(parameters=[s.DryRunQuerySerializer], responses=answers(s.DryRunSerializer),
                   operation_id="incident_rule_dry_run")  # fmt: skip
    @action(detail=True, methods=["get"], url_path="dry-run")
    def dry_run_rule(self, request, pk=None):
        return self._dry_run(request, rule=self.get_object())
