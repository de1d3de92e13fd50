"""The tickets API: open a request, read it with its clocks/ladder/actions and its moves, and
act on it. Every action is a POST on the ticket calling one service; who may do what is
checked there. A refused action answers with a stable `code`: 400 (e.g. `consent_required`,
`cause_required`), 403 `permission_denied`/`not_assigned`, 409 `wrong_state`.
Dispatching is field service's: `POST /api/visits/`."""

from __future__ import annotations

from django.http import FileResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from weibao.api.actions import ServiceActions
from weibao.api.schema import error_responses
from weibao.core.errors import DomainError
from weibao.core.listing import XLSX_CONTENT_TYPE as XLSX
from weibao.escalations import services as escalations
from weibao.tickets import exports, queue, selectors, services
from weibao.tickets.api import serializers as s
from weibao.tickets.api.pagination import DEFAULT_ORDERING, TicketCursorPagination
from weibao.tickets.filtersets import TicketQueueFilter
from weibao.tickets.models import (
    ClassificationCriterion,
    ResolutionCause,
    Ticket,
    TicketAttachment,
)
from weibao.tickets.services import notes as note_services

ERRORS = error_responses(
    e400="Refused: `{code, detail, fields}` (e.g. consent_required)",
    e403="`permission_denied` (capability) or `not_assigned`",
    e404="Not found, or another customer's ticket",
    e409="`wrong_state`: the ticket's stage does not allow it",
)


def _schema(request, summary: str, code: int = 200, **extra):
    return extend_schema(request=request, responses={code: s.TicketSerializer, **ERRORS},
                         summary=summary, **extra)  # fmt: skip


class TicketViewSet(
    ServiceActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Requests (工单). Another customer's ticket answers 404."""

    queryset = Ticket.objects.all()
    serializer_class = s.TicketSerializer
    read_serializer = s.TicketSerializer
    # The list is the queue (`weibao.tickets.queue`): ?search=, ?state=, ?engineer=mine|
    # unassigned|<id>, ?reported_from=/to=, ?ordering=urgency|-reported_at|…, keyset pages.
    filter_backends = [DjangoFilterBackend]
    filterset_class = TicketQueueFilter
    pagination_class = TicketCursorPagination

    def get_queryset(self):
        tickets = Ticket.objects.visible_to(self.request.user)
        if self.action == "list":  # light rows: the queue's own columns (queue.rows_of)
            return queue.rows_of(tickets)
        return tickets.select_related("customer", "site").prefetch_related(
            "clocks", "escalation_steps", "emergency_actions", "callbacks"
        )

    def get_serializer_class(self):
        return s.TicketListSerializer if self.action == "list" else super().get_serializer_class()

    @extend_schema(summary="The ticket list (the queue): light rows; one ticket has the rest")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @_schema(
        s.TicketCreateSerializer,
        "Open a request (TKT-1); the service works out customer, channel and time for the caller",
        code=201,
    )
    def create(self, request, *args, **kwargs):
        body = s.TicketCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        ticket = services.open_ticket(actor=request.user, **body.validated_data)
        return self._answer(ticket, status.HTTP_201_CREATED)

    @extend_schema(
        responses=s.CauseSerializer(many=True),
        summary="The resolution causes (TKT-4); `is_exclusion` marks EXC-1's",
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def causes(self, request):
        causes = ResolutionCause.objects.filter(active=True)
        return Response(s.CauseSerializer(causes, many=True).data)

    @extend_schema(
        responses={(200, XLSX): OpenApiTypes.BINARY, **ERRORS},
        summary="The list as Excel: the same filters, search, state and ?ordering= as the "
        "list, every page (a customer: their own tickets, without ladder or engineer)",
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def export(self, request):
        tickets = self.filter_queryset(Ticket.objects.visible_to(request.user))
        ordering = request.query_params.get("ordering") or DEFAULT_ORDERING
        return exports.download(request.user, tickets, ordering)

    @_schema(s.MoveSerializer, "Move the ticket in the support flow (TKT-2)")
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        return self._act(request, s.MoveSerializer, lambda t, d: services.move(
            t, d["action"], actor=request.user, note=d["note"], cause=d.get("cause"),
            fix=d["fix"], prevention=d["prevention"]))  # fmt: skip

    @_schema(s.TicketResolveSerializer, "Resolve with the cause, the fix and the prevention advice")
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._act(request, s.TicketResolveSerializer, lambda t, d: services.resolve(
            t, actor=request.user, **d))  # fmt: skip

    @_schema(
        s.LevelChangeSerializer,
        "Correct a resolved ticket's level for reporting (clocks stay as they were)",
    )
    @action(detail=True, methods=["post"])
    def reclassify(self, request, pk=None):
        return self._act(request, s.LevelChangeSerializer, lambda t, d: services.reclassify(
            t, level=d["level"], reason=d["reason"], actor=request.user))  # fmt: skip

    @_schema(s.LevelChangeSerializer, "Change the fault level (FLT-4); clocks and ladder re-plan")
    @action(detail=True, methods=["post"])
    def level(self, request, pk=None):
        return self._act(request, s.LevelChangeSerializer, lambda t, d: services.change_level(
            t, level=d["level"], reason=d["reason"], actor=request.user))  # fmt: skip

    @_schema(s.ConsentSerializer, "Record the customer's consent to remote access")
    @action(detail=True, methods=["post"])
    def consent(self, request, pk=None):
        return self._act(request, s.ConsentSerializer, lambda t, d: services.record_consent(
            t, by=d["by"], method=d["method"], actor=request.user))  # fmt: skip

    @_schema(None, "Phone response given")
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        return self._act(request, None, lambda t, d: services.respond(t, actor=request.user))

    @_schema(None, "Remote session started")
    @action(detail=True, methods=["post"], url_path="remote-connected")
    def remote_connected(self, request, pk=None):
        return self._act(
            request, None, lambda t, d: services.remote_connected(t, actor=request.user)
        )

    @_schema(s.TicketReasonSerializer, "Pause the running clocks (e.g. waiting for the customer)")
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        return self._act(request, s.TicketReasonSerializer, lambda t, d: services.pause(
            t, reason=d["reason"], actor=request.user))  # fmt: skip

    @_schema(None, "Resume paused clocks")
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._act(request, None, lambda t, d: services.resume(t, actor=request.user))

    @_schema(s.CallbackSerializer, "Record the callback; not satisfied reopens the ticket")
    @action(detail=True, methods=["post"])
    def callback(self, request, pk=None):
        return self._act(request, s.CallbackSerializer, lambda t, d: services.record_callback(
            t, satisfied=d["satisfied"], score=d.get("score"), note=d["note"],
            actor=request.user))  # fmt: skip

    @_schema(s.NoteSerializer, "Mark an L1 emergency or aftercare action done")
    @action(detail=True, methods=["post"], url_path=r"emergency-actions/(?P<code>[a-z_]+)/done")
    def action_done(self, request, pk=None, code=None):
        return self._act(request, s.NoteSerializer, lambda t, d: escalations.complete_action(
            t, code, actor=request.user, note=d["note"]))  # fmt: skip

    @_schema(s.TicketReasonSerializer, "Waive an L1 aftercare action with a reason")
    @action(detail=True, methods=["post"], url_path=r"emergency-actions/(?P<code>[a-z_]+)/waive")
    def action_waive(self, request, pk=None, code=None):
        return self._act(request, s.TicketReasonSerializer, lambda t, d: escalations.waive_action(
            t, code, actor=request.user, reason=d["reason"]))  # fmt: skip

    # Work notes and attachments (issue 12 #4): a customer reads and writes only public ones
    # on their own tickets (another customer's ticket is 404); their notes are forced public.

    @extend_schema(
        methods=["get"],
        responses={200: s.TicketNoteSerializer(many=True), **ERRORS},
        summary="The ticket's notes the caller may read (a customer: public ones), oldest first",
    )
    @extend_schema(
        methods=["post"],
        request={"application/json": s.TicketNoteCreateSerializer,
                 "multipart/form-data": s.TicketNoteCreateSerializer},
        responses={201: s.TicketNoteSerializer, **ERRORS},
        summary="Add a note (text and/or files); empty: 400 `note_empty` on `body`; a "
        "customer's note is always public",
    )  # fmt: skip
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None,
            parser_classes=[JSONParser, MultiPartParser, FormParser])  # fmt: skip
    def notes(self, request, pk=None):
        ticket = self.get_object()
        if request.method == "GET":
            found = selectors.visible_notes(ticket, request.user)
            context = self.get_serializer_context()
            return Response(s.TicketNoteSerializer(found, many=True, context=context).data)
        body = s.TicketNoteCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        note = note_services.add_note(ticket, actor=request.user, **body.validated_data)
        return self._note_answer(note)

    @extend_schema(
        request={"multipart/form-data": s.AttachmentUploadSerializer},
        responses={201: s.TicketNoteSerializer, **ERRORS},
        summary="Attach a photo or file (checked: size, type, content; photos without EXIF), "
        "as a note carrying it; too large or not allowed: 400 on `file`",
    )
    @action(detail=True, methods=["post"], filterset_class=None,
            parser_classes=[MultiPartParser, FormParser])  # fmt: skip
    def attachments(self, request, pk=None):
        ticket = self.get_object()
        body = s.AttachmentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            note = note_services.add_note(
                ticket,
                actor=request.user,
                body=data["body"],
                visibility=data["visibility"],
                files=[data["file"]],
            )
        except DomainError as refused:
            if refused.field == "files":
                refused.field = "file"
            raise
        return self._note_answer(note)

    @extend_schema(
        responses={(200, "*/*"): OpenApiTypes.BINARY, **ERRORS},
        summary="Download an attachment (a customer: public ones of their own tickets)",
    )
    @action(
        detail=True,
        methods=["get"],
        filterset_class=None,
        url_path=r"attachments/(?P<attachment_id>[0-9]+)",
        url_name="attachment-download",
    )
    def attachment_download(self, request, pk=None, attachment_id=None):
        ticket = self.get_object()
        try:
            item = selectors.visible_attachment(request.user, int(attachment_id))
        except TicketAttachment.DoesNotExist:
            raise NotFound() from None
        if item.ticket_id != ticket.pk:
            raise NotFound()
        return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name,
                            content_type=item.content_type)  # fmt: skip

    @extend_schema(
        responses={204: None, **ERRORS},
        summary="Delete an attachment: its uploader, or staff who work the ticket (a customer "
        "never deletes the provider's files: 403); written on the timeline",
    )
    @attachment_download.mapping.delete
    def delete_attachment(self, request, pk=None, attachment_id=None):
        ticket = self.get_object()
        try:
            item = selectors.visible_attachment(request.user, int(attachment_id))
        except TicketAttachment.DoesNotExist:
            raise NotFound() from None
        if item.ticket_id != ticket.pk:
            raise NotFound()
        note_services.delete_attachment(item, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={200: s.TimelineEntrySerializer(many=True), **ERRORS},
        summary="The ticket's timeline in words (moves, clocks, dispatch, notes) as the caller "
        "may see it: a customer gets no internal notes, ladder or names of the provider's staff",
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def timeline(self, request, pk=None):
        ticket = self.get_object()
        entries = selectors.timeline(ticket, request.user)
        context = self.get_serializer_context()
        return Response(s.TimelineEntrySerializer(entries, many=True, context=context).data)

    def _note_answer(self, note):
        note = selectors.visible_notes(note.ticket, self.request.user).get(pk=note.pk)
        data = s.TicketNoteSerializer(note, context=self.get_serializer_context()).data
        return Response(data, status.HTTP_201_CREATED)


class CriterionViewSet(viewsets.ReadOnlyModelViewSet):
    """The classification criteria (FLT-2, 表 15) as data."""

    queryset = ClassificationCriterion.objects.all()
    serializer_class = s.CriterionSerializer
    filterset_fields = ["scheme", "level"]
    pagination_class = None
