from rest_framework import serializers

from weibao.accounts.models import User


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "phone", "email", "provider", "customer", "roles"]

    def get_roles(self, user) -> list[str]:
        return sorted(user.role_codes)
