"""The field-service API — every action of the visit page, calling the same services:

    POST /api/field-visits/                       dispatch (body `ticket`, `engineer`)
    POST /api/field-visits/{id}/depart/ | check-in/ | check-out/
    POST /api/field-visits/{id}/record-arrival/   a dispatcher, on the engineer's behalf
    POST /api/field-visits/{id}/cancel/
    POST /api/field-visits/{id}/documents/        file a document (kind, title, data)
    POST /api/field-visits/{id}/refuse-signature/ the customer refuses to sign (reason)
    POST /api/field-visits/{id}/plan-executed/    the approved plan was carried out
    POST /api/field-visits/{id}/training/         a training session (≤ the contract's 2 h)
    GET  /api/training-sessions/

Visits list their `moves` (allowed, and blocked with why) and their documents; signing is
`POST /api/documents/{id}/sign/`."""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from weibao.api.actions import ServiceActions
from weibao.api.viewsets import ScopedReadOnlyViewSet
from weibao.documents.api.serializers import SignedDocumentSerializer
from weibao.documents.models import SignedDocument
from weibao.fieldservice import services
from weibao.fieldservice.api import serializers as s
from weibao.fieldservice.api.schema import answers
from weibao.fieldservice.models import TrainingSession, Visit
from weibao.fieldservice.services.documents import visit_documents


class VisitFilter(django_filters.FilterSet):
    class Meta:
        model = Visit
        fields = ["ticket", "engineer", "state"]


class VisitViewSet(ServiceActions, ScopedReadOnlyViewSet):
    """On-site visits (现场服务). Customer users read their own organisation's; who may act
    is the permission matrix's (PRM-1), checked in the services."""

    queryset = Visit.objects.select_related("ticket", "engineer", "arrival_recorded_by")
    serializer_class = read_serializer = s.VisitSerializer
    filterset_class = VisitFilter
    ordering_fields = ["confirmed_at", "checked_in_at", "id"]

    @extend_schema(
        request=s.DispatchSerializer,
        responses=answers(s.VisitSerializer, 201),
        summary="Dispatch an engineer to the ticket's site (the one dispatch)",
    )
    def create(self, request, *args, **kwargs):
        body = s.DispatchSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        visit = services.dispatch(
            body.validated_data["ticket"],
            engineer=body.validated_data["engineer"],
            actor=request.user,
        )
        return self._answer(visit, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=answers(s.VisitSerializer), summary="On the way")
    @action(detail=True, methods=["post"])
    def depart(self, request, pk=None):
        return self._act(request, None, lambda v, d: services.depart(v, actor=request.user))

    @extend_schema(
        request=s.CheckInSerializer,
        responses=answers(s.VisitSerializer),
        summary="The engineer checks in on site (meets the arrival clock)",
    )
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        return self._act(
            request, s.CheckInSerializer, lambda v, d: services.check_in(v, actor=request.user, **d)
        )

    @extend_schema(
        request=s.ArrivalSerializer,
        responses=answers(s.VisitSerializer),
        summary="A dispatcher records the arrival on the engineer's behalf",
    )
    @action(detail=True, methods=["post"], url_path="record-arrival")
    def record_arrival(self, request, pk=None):
        return self._act(
            request,
            s.ArrivalSerializer,
            lambda v, d: services.record_arrival(
                v, reason=d["reason"], arrived_at=d.get("arrived_at"), actor=request.user
            ),
        )

    @extend_schema(
        request=None,
        responses=answers(s.VisitSerializer),
        summary="Check out (the service report signed, or its refusal recorded)",
    )
    @action(detail=True, methods=["post"], url_path="check-out")
    def check_out(self, request, pk=None):
        return self._act(request, None, lambda v, d: services.check_out(v, actor=request.user))

    @extend_schema(
        request=s.ReasonSerializer,
        responses=answers(s.VisitSerializer),
        summary="Call the visit off before arrival, with a reason",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(
            request,
            s.ReasonSerializer,
            lambda v, d: services.cancel_visit(v, reason=d["reason"], actor=request.user),
        )

    @extend_schema(
        request=s.NewDocumentSerializer,
        responses=answers(SignedDocumentSerializer, 201),
        summary="File a document on the visit (service report, plan …)",
    )
    @action(detail=True, methods=["post"])
    def documents(self, request, pk=None):
        body = s.NewDocumentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        doc = services.create_visit_document(
            self.get_object(), actor=request.user, **body.validated_data
        )
        return self._document(doc, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.RefuseSignatureSerializer,
        responses=answers(SignedDocumentSerializer),
        summary="The customer refuses to sign the service report (reason)",
    )
    @action(detail=True, methods=["post"], url_path="refuse-signature")
    def refuse_signature(self, request, pk=None):
        body = s.RefuseSignatureSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        visit = self.get_object()
        document = body.validated_data.get("document")
        target = get_object_or_404(visit_documents(visit), pk=document) if document else visit
        doc = services.record_signature_refused(
            target, reason=body.validated_data["reason"], actor=request.user
        )
        return self._document(doc)

    @extend_schema(
        request=s.PlanExecutedSerializer,
        responses=answers(s.VisitSerializer),
        summary="The customer-approved technical plan was carried out",
    )
    @action(detail=True, methods=["post"], url_path="plan-executed")
    def plan_executed(self, request, pk=None):
        body = s.PlanExecutedSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        visit = self.get_object()
        plan = get_object_or_404(visit_documents(visit), pk=body.validated_data["plan"])
        services.mark_plan_executed(plan, actor=request.user, note=body.validated_data["note"])
        return self._answer(visit)

    @extend_schema(
        request=s.NewTrainingSerializer,
        responses=answers(s.TrainingSerializer, 201),
        summary="Record a training session after the visit (≤ 2 hours)",
    )
    @action(detail=True, methods=["post"])
    def training(self, request, pk=None):
        body = s.NewTrainingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        visit = self.get_object()
        session = services.record_training(
            customer=visit.ticket.customer,
            site=visit.ticket.site,
            origin=visit,
            actor=request.user,
            **body.validated_data,
        )
        return Response(s.TrainingSerializer(session).data, status.HTTP_201_CREATED)

    def _document(self, doc, code=status.HTTP_200_OK):
        doc = SignedDocument.objects.select_related("subject_type", "ticket").get(pk=doc.pk)
        body = SignedDocumentSerializer(doc, context=self.get_serializer_context()).data
        return Response(body, code)


class TrainingSessionViewSet(ScopedReadOnlyViewSet):
    """Training sessions (培训, TRN-1) with their training record's state; a session is
    recorded on its visit (`POST /api/field-visits/{id}/training/`)."""

    queryset = TrainingSession.objects.select_related("record")
    serializer_class = s.TrainingSerializer
    filterset_fields = ["customer", "site", "method"]
    ordering_fields = ["starts_at", "id"]
