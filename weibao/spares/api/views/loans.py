"""The loans API: exchange loans (SPX-2..5, counted against the quota) and the free loaners
of late or failed repairs, with their actions."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action

from weibao.accounts.capabilities import Capability
from weibao.api.actions import ServiceActions
from weibao.api.exports import ListExport
from weibao.api.schema import answers
from weibao.api.viewsets import CapabilityWrites, IsProviderStaffOrReadOnly
from weibao.spares import columns
from weibao.spares.api import serializers as s
from weibao.spares.models import Loan
from weibao.spares.services import loans


class LoanViewSet(
    ListExport,
    CapabilityWrites,
    ServiceActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Spare loans: exchange loans (SPX) and the free loaners of late or failed repairs;
    `export/` as Excel."""

    export_columns = columns.LOAN_COLUMNS
    export_name = "spare-loans"

    queryset = Loan.objects.all()
    serializer_class = read_serializer = s.LoanSerializer
    permission_classes = [IsProviderStaffOrReadOnly]
    filterset_fields = ["customer", "status", "kind", "billable"]
    search_fields = ["number", "faulty_serial_number", "part__serial_number"]
    ordering_fields = ["start_date", "end_date", "id"]
    # Refused before the body is read; an extension's capability depends on the new date,
    # so the service decides it (the keeper's, or the manager's beyond 3 months).
    action_capabilities = {
        "create": Capability.SPARES_OPERATE,
        "deliver": Capability.SPARES_OPERATE,
        "return_part": Capability.SPARES_OPERATE,
        "compensate": Capability.SPARES_OPERATE,
    }

    def get_queryset(self):
        return (
            Loan.objects.visible_to(self.request.user)
            .select_related("part__part_type")
            .prefetch_related("extensions")
        )

    @extend_schema(
        request=s.LoanCreateSerializer,
        responses=answers(s.LoanSerializer, 201),
        summary="Lend a good part against a faulty one; counts against the quota",
    )
    def create(self, request, *args, **kwargs):
        data = s.LoanCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        loan = loans.lend_exchange(
            part_type=values.pop("part_number"), actor=request.user, **values
        )
        return self._answer(loan, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.LoanDeliverySerializer,
        responses=answers(s.LoanSerializer),
        summary="The good part reached the agreed place",
    )
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        return self._act(
            request,
            s.LoanDeliverySerializer,
            lambda o, d: loans.record_delivery(o, at=d["at"], actor=request.user),
        )

    @extend_schema(
        request=s.LoanExtendSerializer,
        responses=answers(s.LoanSerializer),
        summary="Extend the loan (at most 6 months in total)",
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._act(
            request,
            s.LoanExtendSerializer,
            lambda o, d: loans.extend_loan(
                o, new_end=d["new_end"], reason=d["reason"], actor=request.user
            ),
        )

    @extend_schema(
        request=s.LoanReturnSerializer,
        responses=answers(s.LoanSerializer),
        summary="The part came back in good order; back into stock",
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_part(self, request, pk=None):
        return self._act(
            request,
            s.LoanReturnSerializer,
            lambda o, d: loans.return_loan(
                o, returned_on=d.get("returned_on"), location=d["location"], actor=request.user
            ),
        )

    @extend_schema(
        request=s.LoanCompensateSerializer,
        responses=answers(s.LoanSerializer),
        summary="Damaged: compensated at catalog or agreed price; ownership passes",
    )
    @action(detail=True, methods=["post"])
    def compensate(self, request, pk=None):
        return self._act(
            request,
            s.LoanCompensateSerializer,
            lambda o, d: loans.compensate_loan(
                o, price=d["price"], note=d["note"], actor=request.user
            ),
        )
