from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from weibao.accounts.capabilities import Capability
from weibao.api.exports import ListExport
from weibao.api.viewsets import ScopedModelViewSet
from weibao.contracts import columns, services
from weibao.contracts.api.serializers import ContractSerializer, PolicySerializer
from weibao.contracts.models import Contract


class ContractViewSet(ListExport, ScopedModelViewSet):
    """Contracts (合同) with coverage and their SLA policy. Another customer's contract
    answers 404. `export/` as Excel."""

    export_columns = columns.CONTRACT_COLUMNS
    export_name = "contracts"

    queryset = Contract.objects.select_related("plan", "customer", "policy").prefetch_related(
        "sites",
        "assets",
        "policy__response_targets",
        "policy__distance_tiers",
        "policy__escalation_rules",
    )
    serializer_class = ContractSerializer
    filterset_fields = ["customer", "plan__code"]
    search_fields = ["number", "title"]
    ordering_fields = ["start_date", "end_date", "number", "id"]
    # Contracts and their SLA policies are configuration: administrators only (PRM-1).
    write_capability = Capability.CONFIG_EDIT
    # The policy has its own version: its `ETag`, and the `If-Match` its replacement is checked
    # against, are the policy's, not the contract's.
    tagged_actions = (*ScopedModelViewSet.tagged_actions, "policy")

    def versioned(self, obj):
        if self.action == "policy":
            return getattr(obj, "policy", None)
        return obj

    def save_new(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.create_contract(
            customer=data["customer"],
            plan=data["plan"],
            number=data["number"],
            title=data["title"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            sites=data.get("sites", ()),
            assets=data.get("assets", ()),
            actor=self.request.user,
        )
        if data.get("notes"):
            serializer.instance.notes = data["notes"]
            serializer.instance.save(update_fields=["notes"])

    @extend_schema(
        request=PolicySerializer,
        responses={200: PolicySerializer},
        summary="Replace the contract's SLA policy (表 11–16 and terms); `If-Match` with the "
        "policy's `ETag` refuses a stale replacement with 412",
    )
    @action(detail=True, methods=["get", "put"])
    def policy(self, request, pk=None):
        contract = self.get_object()
        if request.method == "GET":
            return Response(contract.policy.snapshot().to_dict())
        serializer = PolicySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            services.write_policy(contract, serializer.to_policy(), actor=request.user)
        contract.refresh_from_db()
        return Response(contract.policy.snapshot().to_dict(), status=status.HTTP_200_OK)
