"""The outbox over the API: provider staff read it and retry failed messages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from weibao.notifications import selectors, services
from weibao.notifications.api.serializers import NotificationSerializer
from weibao.notifications.models import Notification


class IsProviderStaff(permissions.BasePermission):
    message = "只有服务商员工可以查看通知发件箱。"

    def has_permission(self, request, view) -> bool:
        return selectors.is_provider_staff(request.user)


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """Notifications of the outbox (通知发件箱), newest first; customer users get 403."""

    queryset = Notification.objects.none()
    serializer_class = NotificationSerializer
    permission_classes = [IsProviderStaff]
    filterset_fields = ["state", "kind", "channel"]
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


router_registrations = [("notifications", NotificationViewSet, "notification")]
