from rest_framework import serializers

from weibao.tenancy.models import Contact, Customer, ServicePoint


class ServicePointSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServicePoint
        fields = ["id", "provider", "name", "address", "latitude", "longitude", "phone"]


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name", "phone", "email", "role", "title"]


class CustomerSerializer(serializers.ModelSerializer):
    contacts = ContactSerializer(many=True, read_only=True)

    class Meta:
        model = Customer
        fields = ["id", "provider", "name", "code", "address", "notes", "contacts"]
        read_only_fields = ["provider"]
