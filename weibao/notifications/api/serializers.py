from rest_framework import serializers

from weibao.notifications.choices import NotificationKind
from weibao.notifications.models import ChannelEndpoint, DeliveryAttempt, Notification


class DeliveryAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = ["at", "ok", "status_code", "error", "duration_ms"]


class NotificationSerializer(serializers.ModelSerializer):
    attempt_log = DeliveryAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "subject",
            "body",
            "payload",
            "channel",
            "address",
            "endpoint",
            "recipient",
            "customer",
            "ref_type",
            "ref_id",
            "state",
            "attempts",
            "next_attempt_at",
            "sent_at",
            "last_error",
            "created_at",
            "attempt_log",
        ]
        read_only_fields = fields


class ChannelEndpointSerializer(serializers.ModelSerializer):
    """A notification endpoint; secrets are write-only (`has_secret` tells whether one is
    set). `kinds`: the notification kinds it subscribes to (empty: all)."""

    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=NotificationKind.choices), required=False
    )
    has_secret = serializers.SerializerMethodField()

    class Meta:
        model = ChannelEndpoint
        fields = [
            "id", "name", "kind", "url", "customer", "enabled", "kinds", "secret", "token",
            "access_key_id", "template_id", "has_secret", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "has_secret", "created_at", "updated_at"]
        extra_kwargs = {"secret": {"write_only": True}, "token": {"write_only": True}}

    def get_has_secret(self, endpoint) -> bool:
        return bool(endpoint.secret or endpoint.token)
