"""The outbox over the API: provider staff read it and retry failed messages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from weibao.accounts.capabilities import Capability
from weibao.api.exports import ListExport
from weibao.api.schema import error_responses
from weibao.api.viewsets import CapabilityWrites
from weibao.notifications import columns, selectors, services
from weibao.notifications.api.serializers import ChannelEndpointSerializer, NotificationSerializer
from weibao.notifications.delivery import deliver_now
from weibao.notifications.models import ChannelEndpoint, Notification


class IsProviderStaff(permissions.BasePermission):
    message = gettext_lazy("只有服务商员工可以查看通知发件箱。")

    def has_permission(self, request, view) -> bool:
        return selectors.is_provider_staff(request.user)


class NotificationViewSet(ListExport, viewsets.ReadOnlyModelViewSet):
    """Notifications of the outbox (通知发件箱), newest first; customer users get 403.
    A ticket's failed notifications: `?ref_type=ticket&ref_id=<id>&state=failed`; `export/`
    as Excel."""

    export_columns = columns.OUTBOX_COLUMNS
    export_name = "outbox"

    queryset = Notification.objects.none()
    serializer_class = NotificationSerializer
    permission_classes = [IsProviderStaff]
    filterset_fields = ["state", "kind", "channel", "ref_type", "ref_id"]
    search_fields = ["subject", "address", "ref_id"]
    ordering_fields = ["created_at", "next_attempt_at", "id"]

    def get_queryset(self):
        return selectors.outbox_for(self.request.user).prefetch_related("attempt_log")

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Put a failed notification back in the queue (400 `notification_not_failed`)."""
        notification = services.retry_now(self.get_object(), actor=request.user)
        return Response(self.get_serializer(notification).data)


ERRORS = error_responses(
    e400="`{code, detail, fields}`: invalid endpoint",
    e403="`permission_denied`: needs `config.edit`",
    e404="no such endpoint",
)


@extend_schema_view(
    create=extend_schema(summary="Add a notification endpoint (config.edit)", responses={
        201: ChannelEndpointSerializer, **ERRORS}),
    update=extend_schema(summary="Change a notification endpoint (config.edit)", responses={
        200: ChannelEndpointSerializer, **ERRORS}),
    partial_update=extend_schema(summary="Change a notification endpoint (config.edit)",
                                 responses={200: ChannelEndpointSerializer, **ERRORS}),
    destroy=extend_schema(summary="Remove a notification endpoint (config.edit)",
                          responses={204: None, **ERRORS}),
)  # fmt: skip
class ChannelEndpointViewSet(CapabilityWrites, viewsets.ModelViewSet):
    """Notification endpoints (SMS and voice gateways, group robots, webhooks): provider staff
    read them; only administrators (`config.edit`) add, change, test or remove them."""

    queryset = ChannelEndpoint.objects.select_related("customer")
    serializer_class = ChannelEndpointSerializer
    permission_classes = [IsProviderStaff]
    write_capability = Capability.CONFIG_EDIT  # refused before the body is read
    filterset_fields = ["kind", "enabled", "customer"]
    search_fields = ["name", "url"]

    def save_new(self, serializer):
        serializer.instance = services.save_endpoint(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.save_endpoint(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.delete_endpoint(instance, actor=self.request.user)

    @extend_schema(request=None, responses={201: NotificationSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        """Queue a test message to the endpoint and try to send it now (config.edit)."""
        notification = services.send_test(self.get_object(), actor=request.user)
        deliver_now(notification)
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification).data, status=201)


router_registrations = [
    ("notifications", NotificationViewSet, "notification"),
    ("notification-endpoints", ChannelEndpointViewSet, "notification-endpoint"),
]
