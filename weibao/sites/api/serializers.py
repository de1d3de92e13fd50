from django.utils.translation import gettext as _
from rest_framework import serializers

from weibao.api.viewsets import ScopedRelatedFieldsMixin
from weibao.sites.models import Site
from weibao.sites.selectors import site_code_taken


class SiteSerializer(ScopedRelatedFieldsMixin, serializers.ModelSerializer):
    distance_km = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Site
        fields = [
            "id", "customer", "name", "code", "kind", "parent", "address", "latitude",
            "longitude", "service_point", "road_distance_km", "distance_km", "duty_phone",
            "notes",
        ]  # fmt: skip

    def validate(self, attrs):
        customer = attrs.get("customer") or getattr(self.instance, "customer", None)
        parent = attrs.get("parent")
        if parent is not None and customer is not None and parent.customer_id != customer.pk:
            raise serializers.ValidationError({"parent": _("上级机房必须属于同一客户。")})
        code = attrs.get("code", getattr(self.instance, "code", None))
        if (
            customer is not None
            and code
            and site_code_taken(customer.pk, code, exclude_pk=getattr(self.instance, "pk", None))
        ):
            raise serializers.ValidationError({"code": _("该客户已有此机房编号（不区分大小写）。")})
        return attrs
