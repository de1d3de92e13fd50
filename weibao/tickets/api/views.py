"""The tickets API: open a request, read it with its clocks/ladder/actions, and act on it.

Every action is a POST on the ticket (documented in the OpenAPI); a refused move answers 400
with a stable `code` (e.g. `consent_required`, `stage_not_allowed`)."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from weibao.core import clock
from weibao.escalations import services as escalations
from weibao.tickets import services
from weibao.tickets.api import serializers as s
from weibao.tickets.choices import Channel
from weibao.tickets.models import ClassificationCriterion, Ticket


class TicketPermission(permissions.BasePermission):
    """Customer users read and open their own requests; only provider staff act on them."""

    message = "客户用户只能提交和查看本单位的请求。"

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if request.method in permissions.SAFE_METHODS or view.action == "create":
            return True
        return user.customer_id is None


class TicketFilter(django_filters.FilterSet):
    open = django_filters.BooleanFilter(method="filter_open")

    class Meta:
        model = Ticket
        fields = ["customer", "site", "asset", "level", "stage", "request_type", "channel"]

    def filter_open(self, queryset, name, value):
        return queryset.open() if value else queryset.exclude(pk__in=queryset.open())


class TicketViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Requests (工单). Another customer's ticket answers 404."""

    queryset = Ticket.objects.all()
    serializer_class = s.TicketSerializer
    permission_classes = [TicketPermission]
    filterset_class = TicketFilter
    search_fields = ["number", "fault_phenomenon", "contact_name"]
    ordering_fields = ["reported_at", "id", "level"]

    def get_queryset(self):
        return (
            Ticket.objects.visible_to(self.request.user)
            .select_related("customer", "site")
            .prefetch_related("clocks", "escalation_steps", "emergency_actions", "callbacks")
        )

    def _answer(self, ticket, code=status.HTTP_200_OK):
        ticket = self.get_queryset().get(pk=ticket.pk)
        return Response(s.TicketSerializer(ticket, context={"request": self.request}).data, code)

    @extend_schema(request=s.TicketCreateSerializer, responses={201: s.TicketSerializer})
    def create(self, request, *args, **kwargs):
        data = s.TicketCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        user = request.user
        if user.customer_id:
            values["customer"] = user.customer
            values["channel"] = (
                Channel.PORTAL if values["channel"] == Channel.API else values["channel"]
            )
        elif "customer" not in values:
            site = values.get("site") or getattr(values.get("asset"), "site", None)
            if site is None:
                raise ValidationError({"customer": ["请指定客户或机房。"]})
            values["customer"] = site.customer
        values.setdefault("reported_at", clock.now())
        values["criteria"] = values.get("criteria", [])
        ticket = services.open_ticket(actor=user, **values)
        return self._answer(ticket, status.HTTP_201_CREATED)

    def _act(self, request, serializer_class, call):
        data = None
        if serializer_class is not None:
            data = serializer_class(data=request.data)
            data.is_valid(raise_exception=True)
            data = data.validated_data
        ticket = self.get_object()
        call(ticket, data)
        return self._answer(ticket)

    @extend_schema(request=s.MoveSerializer, responses=s.TicketSerializer,
                   summary="Move the ticket in the support flow (TKT-2)")  # fmt: skip
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        return self._act(request, s.MoveSerializer, lambda t, d: services.move(
            t, d["action"], actor=request.user, note=d["note"]))  # fmt: skip

    @extend_schema(request=s.LevelChangeSerializer, responses=s.TicketSerializer,
                   summary="Change the fault level (FLT-4); clocks and ladder re-plan")  # fmt: skip
    @action(detail=True, methods=["post"])
    def level(self, request, pk=None):
        return self._act(request, s.LevelChangeSerializer, lambda t, d: services.change_level(
            t, level=d["level"], reason=d["reason"], actor=request.user))  # fmt: skip

    @extend_schema(request=s.ConsentSerializer, responses=s.TicketSerializer,
                   summary="Record the customer's consent to remote access")  # fmt: skip
    @action(detail=True, methods=["post"])
    def consent(self, request, pk=None):
        return self._act(request, s.ConsentSerializer, lambda t, d: services.record_consent(
            t, by=d["by"], method=d["method"], actor=request.user))  # fmt: skip

    @extend_schema(request=None, responses=s.TicketSerializer, summary="Phone response given")
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        return self._act(request, None, lambda t, d: services.respond(t, actor=request.user))

    @extend_schema(request=None, responses=s.TicketSerializer, summary="Remote session started")
    @action(detail=True, methods=["post"], url_path="remote-connected")
    def remote_connected(self, request, pk=None):
        return self._act(
            request, None, lambda t, d: services.remote_connected(t, actor=request.user)
        )

    @extend_schema(request=s.DispatchSerializer, responses=s.TicketSerializer,
                   summary="Dispatch an engineer (meets the on-site response clock)")  # fmt: skip
    @action(detail=True, methods=["post"], url_path="dispatch")
    def dispatch_engineer(self, request, pk=None):
        return self._act(request, s.DispatchSerializer, lambda t, d: services.dispatch(
            t, engineer=d["engineer"], actor=request.user))  # fmt: skip

    @extend_schema(request=None, responses=s.TicketSerializer,
                   summary="Engineer arrived on site (meets the arrival clock)")  # fmt: skip
    @action(detail=True, methods=["post"])
    def arrive(self, request, pk=None):
        return self._act(request, None, lambda t, d: services.arrive(t, actor=request.user))

    @extend_schema(request=s.ReasonSerializer, responses=s.TicketSerializer,
                   summary="Pause the running clocks (e.g. waiting for the customer)")  # fmt: skip
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        return self._act(request, s.ReasonSerializer, lambda t, d: services.pause(
            t, reason=d["reason"], actor=request.user))  # fmt: skip

    @extend_schema(request=None, responses=s.TicketSerializer, summary="Resume paused clocks")
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._act(request, None, lambda t, d: services.resume(t, actor=request.user))

    @extend_schema(request=s.CallbackSerializer, responses=s.TicketSerializer,
                   summary="Record the callback; not satisfied reopens the ticket")  # fmt: skip
    @action(detail=True, methods=["post"])
    def callback(self, request, pk=None):
        return self._act(request, s.CallbackSerializer, lambda t, d: services.record_callback(
            t, satisfied=d["satisfied"], score=d.get("score"), note=d["note"],
            actor=request.user))  # fmt: skip

    @extend_schema(request=s.NoteSerializer, responses=s.TicketSerializer,
                   summary="Mark an L1 emergency or aftercare action done")  # fmt: skip
    @action(detail=True, methods=["post"], url_path=r"emergency-actions/(?P<code>[a-z_]+)/done")
    def action_done(self, request, pk=None, code=None):
        return self._act(request, s.NoteSerializer, lambda t, d: escalations.complete_action(
            t, code, actor=request.user, note=d["note"]))  # fmt: skip

    @extend_schema(request=s.ReasonSerializer, responses=s.TicketSerializer,
                   summary="Waive an L1 aftercare action with a reason")  # fmt: skip
    @action(detail=True, methods=["post"], url_path=r"emergency-actions/(?P<code>[a-z_]+)/waive")
    def action_waive(self, request, pk=None, code=None):
        return self._act(request, s.ReasonSerializer, lambda t, d: escalations.waive_action(
            t, code, actor=request.user, reason=d["reason"]))  # fmt: skip


class CriterionViewSet(viewsets.ReadOnlyModelViewSet):
    """The classification criteria (FLT-2, 表 15) as data."""

    queryset = ClassificationCriterion.objects.all()
    serializer_class = s.CriterionSerializer
    filterset_fields = ["scheme", "level"]
    pagination_class = None
