"""The emergency API (EMP-1..3), the same services as the screens:

    GET  /api/emergency-events/                   the register (表 17) with ranked alternatives
    GET  /api/emergency-drills/                   drills; POST records one
    POST /api/emergency-drills/{id}/close-follow-ups/
    GET  /api/emergency-readiness/{site}/         a site's readiness (§1.1.9.4)
    PATCH /api/emergency-readiness/{site}/        record what was found at the site

Writes need `emergency_plan.edit` (403 `permission_denied` otherwise); another customer's site
or drill answers 404; a refused field 400 with its code."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from weibao.api.actions import ServiceActions
from weibao.api.schema import error_responses
from weibao.api.viewsets import ConditionalWrites
from weibao.emergency import selectors, services
from weibao.emergency.api import serializers as s
from weibao.emergency.models import Drill, EmergencyEvent, SiteReadiness
from weibao.sites.models import Site
from weibao.tenancy.models import Customer

ERRORS = error_responses(
    e400="Refused: `{code, detail, fields}` (e.g. `wrong_customer`)",
    e403="`permission_denied`: `emergency_plan.edit` is named",
    e404="Not found, or another customer's",
    e409="`already_done`: the follow-ups are closed already",
)


def _with_errors(ok, code: int = 200) -> dict:
    return {code: ok, **ERRORS}


class EmergencyEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The register: the standard events of 表 17 plus the customer's own."""

    serializer_class = s.EmergencyEventSerializer
    pagination_class = None

    def get_queryset(self):
        events = EmergencyEvent.objects.prefetch_related("alternatives").order_by("order", "id")
        customer_id = getattr(self.request.user, "customer_id", None)
        if customer_id:
            return events.filter(customer__isnull=True) | events.filter(customer_id=customer_id)
        return events


class DrillViewSet(
    ServiceActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Drills of the emergency plan; they join the site's archive."""

    serializer_class = s.DrillSerializer
    filterset_fields = ["customer", "site", "event", "follow_ups_done"]

    def get_queryset(self):
        return Drill.objects.visible_to(self.request.user).order_by("-held_on", "-id")

    @extend_schema(request=s.DrillCreateSerializer, responses=_with_errors(s.DrillSerializer, 201))
    def create(self, request):
        body = s.DrillCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        site, customer_id = data.pop("site"), data.pop("customer")
        customer = (
            site.customer
            if site is not None
            else get_object_or_404(Customer.objects.visible_to(request.user), pk=customer_id)
        )
        drill = services.record_drill(customer=customer, site=site, actor=request.user, **data)
        return self._answer(drill, status.HTTP_201_CREATED)

    @extend_schema(request=s.NoteSerializer, responses=_with_errors(s.DrillSerializer))
    @action(detail=True, methods=["post"], url_path="close-follow-ups")
    def close_follow_ups(self, request, pk=None):
        return self._act(request, s.NoteSerializer, lambda drill, data: (
            services.close_follow_ups(drill, note=data["note"], actor=request.user)))  # fmt: skip


class SiteReadinessViewSet(ConditionalWrites, viewsets.GenericViewSet):
    """A site's readiness checklist, keyed by the site's id. Its record's version is the `ETag`;
    a PATCH with an older `If-Match` is refused with 412 `stale`."""

    serializer_class = s.SiteReadinessSerializer

    def get_queryset(self):
        return Site.objects.visible_to(self.request.user).select_related("customer")

    def _body(self, site) -> dict:
        return {
            "site": site.pk,
            "items": [vars(item) for item in selectors.readiness(site)],
            "record": SiteReadiness.objects.filter(site=site).first(),
        }

    @extend_schema(responses=_with_errors(s.SiteReadinessSerializer))
    def retrieve(self, request, pk=None):
        site = self.get_object()
        self._tagged_object = SiteReadiness.objects.filter(site=site).first()
        return Response(s.SiteReadinessSerializer(self._body(site)).data)

    @extend_schema(
        request=s.ReadinessUpdateSerializer, responses=_with_errors(s.SiteReadinessSerializer)
    )
    def partial_update(self, request, pk=None):
        site = self.get_object()
        body = s.ReadinessUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        record = SiteReadiness.objects.filter(site=site).first()
        if record is not None:
            self.precondition(record)  # locked and checked against If-Match, if sent
        self._tagged_object = services.update_readiness(
            site, actor=request.user, **body.validated_data
        )
        return Response(s.SiteReadinessSerializer(self._body(site)).data)
