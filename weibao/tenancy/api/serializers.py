from django.utils.translation import gettext as _
from rest_framework import serializers

from weibao.tenancy.models import Contact, Customer, ServicePoint
from weibao.tenancy.selectors import customer_code_taken


class ServicePointSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServicePoint
        fields = ["id", "provider", "name", "address", "latitude", "longitude", "phone"]


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name", "phone", "email", "role", "title", "default_site"]


class CustomerSerializer(serializers.ModelSerializer):
    contacts = ContactSerializer(many=True, read_only=True)

    class Meta:
        model = Customer
        fields = ["id", "provider", "name", "code", "address", "notes", "contacts"]
        read_only_fields = ["provider"]

    def validate_code(self, code: str) -> str:
        if customer_code_taken(code, exclude_pk=getattr(self.instance, "pk", None)):
            raise serializers.ValidationError(_("该客户代码已被使用（不区分大小写）。"))
        return code


class CallerQuerySerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=32)


class CallerSerializer(serializers.Serializer):
    """A contact found by the phone number a caller gives (`tenancy.selectors.Caller`)."""

    contact = ContactSerializer()
    customer = serializers.IntegerField(source="customer.pk")
    customer_name = serializers.CharField(source="customer.name")
    site = serializers.IntegerField(
        source="site_id",
        allow_null=True,
        help_text="The contact's default site, else the customer's only site; null when it "
        "has several and the contact no default (the agent picks one).",
    )
