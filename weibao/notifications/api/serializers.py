from rest_framework import serializers

from weibao.notifications.models import DeliveryAttempt, Notification


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
