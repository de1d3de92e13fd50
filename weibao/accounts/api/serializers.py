from rest_framework import serializers

from weibao.accounts.models import User


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "phone", "email", "provider", "customer", "roles"]

    def get_roles(self, user) -> list[str]:
        return sorted(user.role_codes)


class LabelledCodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class PermissionMatrixSerializer(serializers.Serializer):
    """The permission matrix (PRM-1): role → capabilities; `roles` and `capabilities` name
    every row and column (read only)."""

    roles = LabelledCodeSerializer(many=True, read_only=True)
    capabilities = LabelledCodeSerializer(many=True, read_only=True)
    matrix = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
