"""Incident serializers: incidents with their alarms, link/split bodies, maintenance windows
(by hand and in force), classification rules and the dry run."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from weibao.alarms.models import Alarm
from weibao.api.nullable import EmptyChoicesAsNull
from weibao.api.viewsets import ScopedRelatedFieldsMixin
from weibao.assets.models import Asset
from weibao.incidents.models import ClassificationRule, Incident, MaintenanceWindow
from weibao.sites.models import Site
from weibao.tenancy.models import Customer
from weibao.tickets.models import Ticket


class IncidentAlarmSerializer(EmptyChoicesAsNull, serializers.ModelSerializer):
    site = serializers.StringRelatedField()
    asset = serializers.StringRelatedField()

    class Meta:
        model = Alarm
        fields = ["id", "key", "name", "severity", "suggested_level", "state", "site", "asset",
                  "description", "starts_at", "first_seen", "last_seen", "repeat_count",
                  "resolved_at"]  # fmt: skip


class IncidentSerializer(EmptyChoicesAsNull, serializers.ModelSerializer):
    """An incident as every answer gives it (list, detail, link, split): a level or
    suppression not yet set is `null`, never `""`."""

    site_name = serializers.CharField(source="site.name", read_only=True, default=None)
    ticket_number = serializers.CharField(source="ticket.number", read_only=True, default=None)
    classification_name = serializers.CharField(
        source="classification.name", read_only=True, default=None
    )

    class Meta:
        model = Incident
        fields = ["id", "customer", "site", "site_name", "rule", "title", "state", "flapping",
                  "level", "classification", "classification_name", "suppression",
                  "suppression_note", "inhibited_by", "ticket", "ticket_number", "opened_at",
                  "resolved_at", "last_change_at", "alarm_count", "firing_count",
                  "raise_count"]  # fmt: skip
        read_only_fields = fields


class IncidentDetailSerializer(IncidentSerializer):
    alarms = serializers.SerializerMethodField()

    class Meta(IncidentSerializer.Meta):
        fields = [*IncidentSerializer.Meta.fields, "alarms"]
        read_only_fields = fields

    def get_alarms(self, incident) -> list[dict]:
        from weibao.incidents.selectors import alarms_of

        return IncidentAlarmSerializer(alarms_of(incident), many=True).data


class LinkSerializer(ScopedRelatedFieldsMixin, serializers.Serializer):
    ticket = serializers.PrimaryKeyRelatedField(queryset=Ticket.objects.all())


class WindowSerializer(ScopedRelatedFieldsMixin, serializers.ModelSerializer):
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.all(), required=False, allow_null=True
    )
    asset = serializers.PrimaryKeyRelatedField(
        queryset=Asset.objects.all(), required=False, allow_null=True
    )
    created_by = serializers.StringRelatedField()

    class Meta:
        model = MaintenanceWindow
        fields = ["id", "customer", "site", "asset", "starts_at", "ends_at", "reason",
                  "created_by"]  # fmt: skip
        read_only_fields = ["id", "customer", "created_by"]


class WindowInForceSerializer(serializers.Serializer):
    """A window in force now, wherever it comes from (by hand, inspection, major operation)."""

    origin = serializers.CharField()
    site_id = serializers.IntegerField(allow_null=True)
    asset_id = serializers.IntegerField(allow_null=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField()
    ref_id = serializers.IntegerField()


class WindowQuerySerializer(ScopedRelatedFieldsMixin, serializers.Serializer):
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.all(), required=False)
    asset = serializers.PrimaryKeyRelatedField(queryset=Asset.objects.all(), required=False)

    def validate(self, attrs):
        if not attrs.get("site") and not attrs.get("asset"):
            raise serializers.ValidationError({"site": _("请选择机房或设备。")})
        return attrs


class RuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClassificationRule
        fields = ["id", "name", "order", "active", "condition", "level", "criterion",
                  "site_kinds", "categories", "alarm_names", "inhibits"]  # fmt: skip

    def validate(self, attrs):
        from django.core.exceptions import ValidationError

        row = ClassificationRule(**{**self._current(), **attrs})
        try:
            row.clean()
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        return attrs

    def _current(self) -> dict:
        if self.instance is None:
            return {}
        return {f: getattr(self.instance, f) for f in self.Meta.fields if f != "id"}


class DryRunQuerySerializer(ScopedRelatedFieldsMixin, serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=31, required=False, default=7)
    customer = serializers.PrimaryKeyRelatedField(
        queryset=Customer.objects.all(),
        required=False,
    )


HELD_HELP = (
    "incidents held without a ticket, by reason: `maintenance` (a maintenance window), "
    "`inhibited` (an inhibiting site-level incident)"
)


class DryRunRuleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    tickets = serializers.DictField(child=serializers.IntegerField())
    held = serializers.DictField(child=serializers.IntegerField(), help_text=HELD_HELP)


class DryRunSerializer(serializers.Serializer):
    since = serializers.DateTimeField()
    until = serializers.DateTimeField()
    incidents = serializers.IntegerField()
    tickets = serializers.DictField(
        child=serializers.IntegerField(), help_text="tickets opened, by level (held ones not)"
    )
    held = serializers.DictField(child=serializers.IntegerField(), help_text=HELD_HELP)
    rules = DryRunRuleSerializer(many=True)
    summary = serializers.CharField()
