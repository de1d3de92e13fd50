"""The feedback API: callback results, the portal survey, and complaints. Everything is
scoped to the user; another customer's complaint answers 404. Who may do what is checked by
the services (PRM-1, 403 `permission_denied`): agents and customers record complaints, the
account manager responds and resolves, the customer confirms or declines; agents and account
managers record callbacks, the customer answers the survey. Complaints list their `moves`."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from weibao.api.actions import ServiceActions
from weibao.api.exports import ListExport
from weibao.api.schema import error_responses
from weibao.feedback import columns, selectors, services
from weibao.feedback.api import serializers as s

ERRORS = error_responses(
    e400="Refused: `{code, detail, fields}`",
    e403="`permission_denied`: the capability is named",
    e404="Not found, or another customer's",
    e409="`wrong_state`: not possible in the current state",
)


def _with_errors(ok) -> dict:
    return {**ok, **ERRORS} if isinstance(ok, dict) else {200: ok, **ERRORS}


def _complaint_action(request_body, summary):
    """The schema of a complaint move: its body, the fresh complaint, the coded errors."""
    return extend_schema(
        request=request_body, responses=_with_errors(s.ComplaintSerializer), summary=summary
    )


class CallbackViewSet(
    ListExport, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Callback results (OTH-6) with how they were obtained. POST: the support center records
    a callback; not satisfied (or a score of 1–2) reopens the ticket. `export/` as Excel (a
    customer: without the provider's staff by name)."""

    export_name = "callbacks"

    def columns_for(self, request):
        return columns.callback_columns(request.user)

    serializer_class = s.CallbackRecordSerializer
    filterset_fields = ["ticket", "method"]

    def get_queryset(self):
        return selectors.callback_records(self.request.user)

    @extend_schema(
        request=s.AgentCallbackSerializer,
        responses=_with_errors({201: s.CallbackRecordSerializer}),
    )
    def create(self, request, *args, **kwargs):
        data = s.AgentCallbackSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        record = services.record_agent_callback(values.pop("ticket"), actor=request.user, **values)
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)


class SurveyViewSet(
    ListExport, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The portal survey: GET lists resolved tickets waiting for an answer (`export/` as
    Excel, a customer: their own); a customer user POSTs the answer (score 1–5, satisfied,
    comment)."""

    serializer_class = s.SurveyTicketSerializer
    export_columns = columns.SURVEY_COLUMNS
    export_name = "surveys"

    def get_queryset(self):
        return selectors.awaiting_feedback(self.request.user)

    @extend_schema(
        request=s.SurveyAnswerSerializer,
        responses=_with_errors({201: s.CallbackRecordSerializer}),
    )
    def create(self, request, *args, **kwargs):
        data = s.SurveyAnswerSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        record = services.answer_survey(values.pop("ticket"), actor=request.user, **values)
        return Response(s.CallbackRecordSerializer(record).data, status=status.HTTP_201_CREATED)


class ComplaintViewSet(
    ListExport, ServiceActions, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    mixins.CreateModelMixin, viewsets.GenericViewSet,
):  # fmt: skip
    """Complaints (投诉, OTH-5) with their first-response deadline and state; `export/` as
    Excel (a customer: without the owner's name)."""

    export_name = "complaints"

    def columns_for(self, request):
        return columns.complaint_export_columns(request.user)

    serializer_class = s.ComplaintSerializer
    filterset_fields = ["state", "customer", "site", "ticket", "owner"]
    search_fields = ["number", "text", "complainant"]
    ordering_fields = ["received_at", "respond_due_at", "id"]

    def get_queryset(self):
        return selectors.complaints_for(self.request.user)

    @extend_schema(
        request=s.ComplaintCreateSerializer, responses=_with_errors({201: s.ComplaintSerializer})
    )
    def create(self, request, *args, **kwargs):
        data = s.ComplaintCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        complaint = services.record_complaint(actor=request.user, **data.validated_data)
        return self._answer(complaint, status.HTTP_201_CREATED)

    @_complaint_action(
        s.ComplaintRespondSerializer, "Record the first response (stops the deadline)"
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        return self._act(request, s.ComplaintRespondSerializer, lambda c, d: (
            services.respond_to_complaint(c, text=d["text"], actor=request.user)))  # fmt: skip

    @_complaint_action(
        s.ComplaintResolveSerializer, "Record the resolution (then waits for the customer)"
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._act(request, s.ComplaintResolveSerializer, lambda c, d: (
            services.resolve_complaint(c, resolution=d["resolution"], actor=request.user)
        ))  # fmt: skip

    @_complaint_action(s.ComplaintConfirmSerializer, "The customer confirms; the complaint closes")
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._act(request, s.ComplaintConfirmSerializer, lambda c, d: (
            services.confirm_complaint(c, actor=request.user, **d)))  # fmt: skip

    @_complaint_action(s.ComplaintDeclineSerializer, "The customer says it is not resolved")
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._act(request, s.ComplaintDeclineSerializer, lambda c, d: (
            services.decline_resolution(c, actor=request.user, **d)))  # fmt: skip
