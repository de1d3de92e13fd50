from rest_framework import serializers

from weibao.accounts.models import User
from weibao.api.nullable import EmptyChoicesAsNull


class MeSerializer(EmptyChoicesAsNull, serializers.ModelSerializer):
    """The signed-in user; `language` is null until they choose one."""

    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id", "username", "full_name", "phone", "email", "language", "provider", "customer",
            "roles",
        ]  # fmt: skip
        read_only_fields = fields

    def get_roles(self, user) -> list[str]:
        return sorted(user.role_codes)


class MeUpdateSerializer(serializers.Serializer):
    """What a user changes on their own account: the language of their screens and of the
    notifications sent to them (`zh-hans` or `en`)."""

    language = serializers.CharField(max_length=10)


class LabelledCodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class PermissionMatrixSerializer(serializers.Serializer):
    """The permission matrix (PRM-1): role → capabilities; `roles` and `capabilities` name
    every row and column (read only)."""

    roles = LabelledCodeSerializer(many=True, read_only=True)
    capabilities = LabelledCodeSerializer(many=True, read_only=True)
    matrix = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
