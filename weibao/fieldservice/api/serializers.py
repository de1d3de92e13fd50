from rest_framework import serializers

from weibao.fieldservice.models import Visit


class VisitSerializer(serializers.ModelSerializer):
    ticket_number = serializers.CharField(source="ticket.number", read_only=True)
    engineer_name = serializers.CharField(source="engineer.__str__", read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id", "ticket", "ticket_number", "engineer", "engineer_name", "state", "proposal",
            "confirmed_by", "confirmed_at", "departed_at", "checked_in_at", "check_in_lat",
            "check_in_lon", "checked_out_at", "minutes_on_site", "cancelled_at", "cancel_reason",
        ]  # fmt: skip
        read_only_fields = fields


class CheckInSerializer(serializers.Serializer):
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    lon = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
