from rest_framework import serializers

from weibao.api.nullable import EmptyChoicesAsNull
from weibao.catalog.models import Entitlement, Plan, ServiceCategory, ServiceItem


class ServiceItemSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ServiceItem
        fields = ["id", "code", "slug", "name", "name_en", "category", "description"]


class ServiceCategorySerializer(serializers.ModelSerializer):
    items = ServiceItemSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceCategory
        fields = ["id", "code", "name", "name_en", "items"]


class EntitlementSerializer(EmptyChoicesAsNull, serializers.ModelSerializer):
    item = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Entitlement
        fields = [
            "code", "name", "item", "quantity", "unit", "period", "site_kind", "note",
        ]  # fmt: skip


class PlanSerializer(serializers.ModelSerializer):
    entitlements = EntitlementSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "code", "name", "name_en", "description", "entitlements"]
