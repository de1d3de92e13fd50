"""The library API (OTH-1..4): documents with the checked download, software versions and
patches, third-party coverage with renewals and reminders, and consulting requests with their
moves. Each write is a thin call of the same service as the web; reading is `report.read`
(customers their own rows); a refusal answers 400/403/404/409 with a stable `code`."""

from __future__ import annotations

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from weibao.accounts.capabilities import Capability
from weibao.accounts.choices import Role
from weibao.accounts.selectors import provider_staff_with_role
from weibao.api.actions import ServiceActions
from weibao.api.exports import ListExport
from weibao.api.schema import answers
from weibao.api.viewsets import CapabilityWrites, IsProviderStaffOrReadOnly
from weibao.core import clock
from weibao.library import columns, selectors, services
from weibao.library.api import serializers as s
from weibao.library.flow import CONSULTING_FLOW
from weibao.library.services.access import require_any


class _Read(
    CapabilityWrites,
    ServiceActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """List and read through the library's selectors (scoped to the user, `report.read`).
    A write is refused (403) before its body is read when the caller lacks the capability;
    the service checks again for the object's customer."""

    permission_classes = [IsProviderStaffOrReadOnly]

    def get_serializer_class(self):
        return self.read_serializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return self.read_serializer.Meta.model.objects.none()
        return self.scoped(self.request.user)


class DocumentViewSet(ListExport, _Read):
    """Shared documents (资料共享, OTH-2); uploads are multipart. A document's `ETag` covers
    who may read it; `access` with an older `If-Match` is refused with 412; `export/` as
    Excel."""

    export_name = "library"

    def columns_for(self, request):
        return columns.document_columns(request.user)

    read_serializer = s.DocumentSerializer
    write_capability = Capability.MASTER_EDIT
    conditional_actions = ("access",)
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_fields = ["category", "published", "audience"]
    search_fields = ["title", "description"]

    def scoped(self, user):
        return selectors.documents_for(user).order_by("category", "title")

    @extend_schema(
        request=s.DocumentUploadSerializer,
        responses=answers(s.DocumentSerializer, 201),
        summary="Upload a document and choose its readers (master.edit)",
    )
    def create(self, request, *args, **kwargs):
        body = s.DocumentUploadSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        document = services.add_document(actor=request.user, **body.validated_data)
        return self._answer(document, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.DocumentAccessSerializer,
        responses=answers(s.DocumentSerializer),
        summary="Publish or withdraw; all customers or chosen ones (master.edit)",
    )
    @action(detail=True, methods=["post"])
    def access(self, request, pk=None):
        return self._act(
            request,
            s.DocumentAccessSerializer,
            lambda d, data: services.set_access(d, actor=request.user, **data),
        )

    @extend_schema(
        # the file as stored: its Content-Type is the file's own (PDF, text, image…)
        responses={(200, "*/*"): OpenApiTypes.BINARY, 404: answers(None)[404]},
        summary="Download the file (404 unless the caller may read it)",
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        document = self.get_object()
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as missing:
            raise Http404 from missing
        return FileResponse(handle, as_attachment=True, filename=document.filename)


class SoftwareChangeViewSet(_Read):
    """Software upgrades, patches and rollbacks per asset (版本管理及软件补丁, OTH-1)."""

    read_serializer = s.SoftwareChangeSerializer
    write_capability = Capability.VISIT_WORK

    def require_write(self, *, customer_id=None) -> None:
        if self._writing():  # engineers (visit.work) or provider staff with master.edit
            require_any(
                self.request.user,
                Capability.VISIT_WORK,
                Capability.MASTER_EDIT,
                customer_id=customer_id,
            )

    filterset_fields = ["asset", "kind"]

    def scoped(self, user):
        return selectors.software_changes_for(user).order_by("-applied_at", "-id")

    @extend_schema(
        request=s.SoftwareChangeCreateSerializer,
        responses=answers(s.SoftwareChangeSerializer, 201),
        summary="Record an upgrade/patch; moves the asset's version (visit.work or master.edit)",
    )
    def create(self, request, *args, **kwargs):
        body = s.SoftwareChangeCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        change = services.apply_software_change(data.pop("asset"), actor=request.user, **data)
        return self._answer(change, status.HTTP_201_CREATED)


class CoverageViewSet(_Read):
    """Third-party warranty coverage (第三方续保, OTH-3) with its periods and reminders."""

    read_serializer = s.CoverageSerializer
    write_capability = Capability.MASTER_EDIT
    filterset_fields = ["customer"]
    search_fields = ["vendor", "covers"]

    def scoped(self, user):
        return selectors.coverages_for(user)

    @extend_schema(
        request=s.CoverageCreateSerializer,
        responses=answers(s.CoverageSerializer, 201),
        summary="Register a vendor's coverage and its first period (master.edit)",
    )
    def create(self, request, *args, **kwargs):
        body = s.CoverageCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        coverage = services.register_coverage(actor=request.user, **body.validated_data)
        return self._answer(coverage, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.CoverageRenewalSerializer,
        responses=answers(s.CoverageSerializer),
        summary="Record a renewal: a new period (master.edit)",
    )
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        return self._act(
            request,
            s.CoverageRenewalSerializer,
            lambda c, data: services.renew_coverage(c, actor=request.user, **data),
        )

    @extend_schema(
        request=s.CoverageReminderDaysSerializer,
        responses=answers(s.CoverageSerializer),
        summary="When expiry reminders go out (master.edit)",
    )
    @action(detail=True, methods=["post"])
    def reminders(self, request, pk=None):
        return self._act(
            request,
            s.CoverageReminderDaysSerializer,
            lambda c, data: services.change_reminder_days(
                c, reminder_days=data["reminder_days"], actor=request.user
            ),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("asset", OpenApiTypes.INT, required=True),
            OpenApiParameter("on", OpenApiTypes.DATE, description="Default: today"),
        ],
        responses={200: s.CoverageSerializer, 204: None, **answers(None)},
        summary="The coverage active for an asset on a day (204: none)",
    )
    @action(detail=False, methods=["get"], url_path="for-asset")
    def for_asset(self, request):
        query = s.CoverageForAssetQuerySerializer(
            data=request.query_params, context={"request": request}
        )
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("on") or clock.today()
        coverage = selectors.third_party_coverage_for(query.validated_data["asset"], day)
        if coverage is None or not self.get_queryset().filter(pk=coverage.pk).exists():
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self._answer(coverage)


class ConsultingViewSet(_Read):
    """Network-change consulting (网络改造方案咨询, OTH-4): customers submit (`ticket.open`),
    engineers draft and deliver (`visit.work`), the customer accepts, revises or withdraws."""

    read_serializer = s.ConsultingSerializer
    action_capabilities = {
        "create": Capability.TICKET_OPEN,
        "owner": Capability.TICKET_DISPATCH,
        **{verb: move.capability for verb, move in CONSULTING_FLOW.moves.items()},
    }
    filterset_fields = ["customer", "state", "owner"]
    search_fields = ["number", "title"]

    def scoped(self, user):
        return selectors.consulting_for(user).order_by("-submitted_at", "-id")

    @extend_schema(
        request=s.ConsultingCreateSerializer,
        responses=answers(s.ConsultingSerializer, 201),
        summary="Submit a consulting request (a customer for its own; ticket.open)",
    )
    def create(self, request, *args, **kwargs):
        body = s.ConsultingCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        consulting = services.submit_consulting(actor=request.user, **body.validated_data)
        return self._answer(consulting, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ConsultingOwnerSerializer,
        responses=answers(s.ConsultingSerializer),
        summary="Assign the owning engineer (ticket.dispatch)",
    )
    @action(detail=True, methods=["post"])
    def owner(self, request, pk=None):
        def assign(consulting, data):
            engineers = provider_staff_with_role(Role.ENGINEER)
            owner = engineers.filter(pk=data["owner"]).first()
            return services.assign_owner(consulting, owner=owner, actor=request.user)

        return self._act(request, s.ConsultingOwnerSerializer, assign)

    def _move(self, request, verb, body):
        return self._act(
            request,
            body,
            lambda c, data: services.move_consulting(
                c,
                verb,
                actor=request.user,
                note=data.get("note", ""),
                proposal=data.get("proposal"),
            ),
        )

    @extend_schema(
        request=s.ConsultingDraftSerializer,
        responses=answers(s.ConsultingSerializer),
        summary="Write or edit the proposal (visit.work)",
    )
    @action(detail=True, methods=["post"])
    def draft(self, request, pk=None):
        return self._move(request, "draft", s.ConsultingDraftSerializer)

    @extend_schema(
        request=None,
        responses=answers(s.ConsultingSerializer),
        summary="Deliver the proposal; the customer is told (visit.work)",
    )
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        return self._move(request, "deliver", s.ConsultingNoteSerializer)

    @extend_schema(
        request=s.ConsultingNoteSerializer,
        responses=answers(s.ConsultingSerializer),
        summary="Ask for a revision, with a reason (ticket.open)",
    )
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        return self._move(request, "revise", s.ConsultingNoteSerializer)

    @extend_schema(
        request=s.ConsultingNoteSerializer,
        responses=answers(s.ConsultingSerializer),
        summary="Accept the proposal and close (ticket.open)",
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._move(request, "close", s.ConsultingNoteSerializer)

    @extend_schema(
        request=s.ConsultingNoteSerializer,
        responses=answers(s.ConsultingSerializer),
        summary="Withdraw the request, with a reason (ticket.open)",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._move(request, "withdraw", s.ConsultingNoteSerializer)
