"""Contract serializers. The policy is exchanged as the frozen `Policy` shape:

{"level_scheme": 3, "arrival_rule": "later", "onsite_for_l3": true,
 "response": {"phone_response": {"L1": 30, ...}, ...},
 "distance_tiers": [{"max_km": 50, "minutes": 300}, ..., {"max_km": null, "minutes": 4320}],
 "escalation": [{"level": "L1", "after_minutes": 15, "target": "field_engineer"}, ...],
 "terms": {"repair_domestic_working_days": 30, ...}}
"""

from __future__ import annotations

from rest_framework import serializers

from weibao.api.viewsets import ScopedRelatedFieldsMixin
from weibao.catalog.models import Plan
from weibao.contracts.models import Contract
from weibao.contracts.policy import (
    DEFAULT_TERMS,
    RESPONSE_CLOCKS,
    ArrivalRule,
    DistanceTier,
    EscalationStep,
    EscalationTarget,
    LevelKey,
    Policy,
)

Duration = serializers.IntegerField(min_value=1)


class DistanceTierSerializer(serializers.Serializer):
    max_km = serializers.IntegerField(min_value=1, allow_null=True)
    minutes = serializers.IntegerField(min_value=1)


class EscalationStepSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=LevelKey.choices)
    after_minutes = serializers.IntegerField(min_value=1)
    target = serializers.ChoiceField(choices=EscalationTarget.choices)


class ResponseTableSerializer(serializers.Serializer):
    """Minutes per level for one clock (表 11, 12 or 13)."""

    L1 = serializers.IntegerField(min_value=1, required=False)
    L2 = serializers.IntegerField(min_value=1, required=False)
    L3 = serializers.IntegerField(min_value=1, required=False)
    L4 = serializers.IntegerField(min_value=1, required=False)
    consultation = serializers.IntegerField(min_value=1, required=False)
    other = serializers.IntegerField(min_value=1, required=False)


class ResponseSerializer(serializers.Serializer):
    phone_response = ResponseTableSerializer()
    remote_response = ResponseTableSerializer()
    onsite_response = ResponseTableSerializer()


class TermsSerializer(serializers.Serializer):
    def get_fields(self):
        return {name: serializers.IntegerField(min_value=1) for name in DEFAULT_TERMS}


class PolicySerializer(serializers.Serializer):
    level_scheme = serializers.ChoiceField(choices=[3, 4])
    arrival_rule = serializers.ChoiceField(choices=ArrivalRule.choices)
    onsite_for_l3 = serializers.BooleanField()
    response = ResponseSerializer()
    distance_tiers = DistanceTierSerializer(many=True)
    escalation = EscalationStepSerializer(many=True)
    terms = TermsSerializer()

    def to_policy(self) -> Policy:
        data = self.validated_data
        return Policy(
            level_scheme=int(data["level_scheme"]),
            arrival_rule=data["arrival_rule"],
            onsite_for_l3=data["onsite_for_l3"],
            response={k: dict(data["response"][k]) for k in RESPONSE_CLOCKS},
            distance_tiers=tuple(DistanceTier(**t) for t in data["distance_tiers"]),
            escalation=tuple(EscalationStep(**s) for s in data["escalation"]),
            terms=dict(data["terms"]),
        )


class ContractSerializer(ScopedRelatedFieldsMixin, serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="code", queryset=Plan.objects.all())
    status = serializers.CharField(read_only=True)
    policy = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "id", "number", "title", "customer", "plan", "start_date", "end_date", "status",
            "sites", "assets", "notes", "policy",
        ]  # fmt: skip

    def get_policy(self, contract) -> dict | None:
        policy = getattr(contract, "policy", None)
        return policy.snapshot().to_dict() if policy else None

    def validate(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end <= start:
            raise serializers.ValidationError({"end_date": "结束日期必须晚于开始日期。"})
        customer = attrs.get("customer") or getattr(self.instance, "customer", None)
        for field in ("sites", "assets"):
            for obj in attrs.get(field, []):
                if customer is not None and obj.customer_id != customer.pk:
                    raise serializers.ValidationError({field: f"{obj} 不属于该客户。"})
        return attrs
