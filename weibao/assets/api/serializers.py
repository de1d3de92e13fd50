from django.utils.translation import gettext as _
from rest_framework import serializers

from weibao.api.viewsets import ScopedRelatedFieldsMixin
from weibao.assets.models import Asset, AssetCategory


class AssetCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = AssetCategory
        fields = ["id", "code", "name", "name_en", "is_third_party"]


class AssetSerializer(ScopedRelatedFieldsMixin, serializers.ModelSerializer):
    category_code = serializers.SlugRelatedField(
        source="category", slug_field="code", queryset=AssetCategory.objects.all()
    )

    class Meta:
        model = Asset
        fields = [
            "id", "customer", "site", "category_code", "name", "manufacturer", "model",
            "serial_number", "software_version", "owner", "repair_origin",
            "customer_bought_supporting", "status", "installed_on", "notes",
        ]  # fmt: skip

    def validate(self, attrs):
        customer = attrs.get("customer") or getattr(self.instance, "customer", None)
        site = attrs.get("site") or getattr(self.instance, "site", None)
        if site is not None and customer is not None and site.customer_id != customer.pk:
            raise serializers.ValidationError({"site": _("机房不属于该客户。")})
        return attrs
