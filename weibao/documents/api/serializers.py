"""Serializers of signed documents: the document as read, the signing request, the seal."""

from __future__ import annotations

from rest_framework import serializers

from weibao.api.fields import NameField, NoteField
from weibao.documents.models import SignedDocument


class SignedDocumentSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(read_only=True)
    ticket_number = serializers.CharField(source="ticket.number", read_only=True, default=None)
    subject_type = serializers.SerializerMethodField()
    pdf_url = serializers.HyperlinkedIdentityField(view_name="document-pdf")

    class Meta:
        model = SignedDocument
        fields = [
            "id", "number", "kind", "kind_label", "title", "customer", "site", "asset",
            "ticket", "ticket_number", "subject_type", "subject_id", "data", "state",
            "signer_name", "signer_role", "signed_at", "signed_by", "signature_image",
            "content_hash", "refused_at", "refused_reason", "created_at", "updated_at",
            "pdf_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_subject_type(self, doc) -> str | None:
        if doc.subject_type_id is None:
            return None
        return f"{doc.subject_type.app_label}.{doc.subject_type.model}"


class SignSerializer(serializers.Serializer):
    signer_name = serializers.CharField(max_length=100)
    signer_role = serializers.CharField(max_length=40)
    signature = serializers.CharField(help_text="data:image/png;base64,… from a signature pad")


class VerifySerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    content_hash = serializers.CharField()


class RefuseSignatureSerializer(serializers.Serializer):
    reason = NoteField(allow_blank=True)


class DocumentDataSerializer(serializers.Serializer):
    data = serializers.DictField()
    title = NameField(required=False, allow_blank=True, allow_null=True, default=None)
