"""Serializers of the library API: documents, software changes, third-party coverage with
its periods, and consulting requests with their moves. Field names are a contract."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from weibao.api.actions import MovesField
from weibao.api.fields import NoteField
from weibao.api.viewsets import ScopedRelatedFieldsMixin
from weibao.assets.models import Asset
from weibao.library.choices import Audience, ChangeKind, DocumentCategory
from weibao.library.flow import CONSULTING_FLOW
from weibao.library.models import (
    ConsultingRequest,
    CoveragePeriod,
    LibraryDocument,
    SoftwareChange,
    ThirdPartyCoverage,
)
from weibao.library.models.coverage import DEFAULT_REMINDER_DAYS
from weibao.library.selectors import proposal_visible_to
from weibao.sites.models import Site
from weibao.tenancy.models import Customer


class DocumentSerializer(serializers.ModelSerializer):
    filename = serializers.CharField(read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = LibraryDocument
        fields = ["id", "title", "category", "version", "description", "filename", "published",
                  "audience", "customers", "uploaded_by", "created_at", "download"]  # fmt: skip
        read_only_fields = fields

    def get_download(self, document) -> str:
        """The checked download of the file (404 unless the caller may read it)."""
        request = self.context.get("request")
        path = f"/api/library/documents/{document.pk}/download/"
        return request.build_absolute_uri(path) if request else path


class DocumentAccessSerializer(ScopedRelatedFieldsMixin, serializers.Serializer):
    published = serializers.BooleanField(default=False)
    audience = serializers.ChoiceField(choices=Audience.choices, default=Audience.ALL)
    customers = serializers.PrimaryKeyRelatedField(
        queryset=Customer.objects.all(), many=True, required=False, default=list
    )


class DocumentUploadSerializer(DocumentAccessSerializer):
    title = serializers.CharField(max_length=200)
    category = serializers.ChoiceField(choices=DocumentCategory.choices)
    file = serializers.FileField()
    description = NoteField(required=False, allow_blank=True, default="")
    version = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class SoftwareChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = SoftwareChange
        fields = ["id", "asset", "kind", "from_version", "to_version", "patch_name",
                  "applied_at", "applied_by", "note"]  # fmt: skip
        read_only_fields = fields


class SoftwareChangeCreateSerializer(ScopedRelatedFieldsMixin, serializers.Serializer):
    asset = serializers.PrimaryKeyRelatedField(queryset=Asset.objects.all())
    kind = serializers.ChoiceField(choices=ChangeKind.choices)
    to_version = serializers.CharField(max_length=100, required=False, allow_blank=True,
                                       default="")  # fmt: skip
    patch_name = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                       default="")  # fmt: skip
    applied_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    note = NoteField(required=False, allow_blank=True, default="")


class CoveragePeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = CoveragePeriod
        fields = ["id", "contract_number", "start_date", "expiry_date", "note"]


class CoverageSerializer(serializers.ModelSerializer):
    periods = CoveragePeriodSerializer(many=True, read_only=True)
    current_period = CoveragePeriodSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ThirdPartyCoverage
        fields = ["id", "customer", "vendor", "covers", "assets", "contact_name", "contact_phone",
                  "reminder_days", "note", "current_period", "periods"]  # fmt: skip
        read_only_fields = fields


class CoverageCreateSerializer(ScopedRelatedFieldsMixin, serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())
    vendor = serializers.CharField(max_length=200)
    covers = NoteField()
    start_date = serializers.DateField()
    expiry_date = serializers.DateField()
    contract_number = serializers.CharField(max_length=100, required=False, allow_blank=True,
                                            default="")  # fmt: skip
    assets = serializers.PrimaryKeyRelatedField(
        queryset=Asset.objects.all(), many=True, required=False, default=list
    )
    contact_name = serializers.CharField(max_length=100, required=False, allow_blank=True,
                                         default="")  # fmt: skip
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True,
                                          default="")  # fmt: skip
    reminder_days = serializers.CharField(max_length=60, required=False,
                                          default=DEFAULT_REMINDER_DAYS)  # fmt: skip
    note = NoteField(required=False, allow_blank=True, default="")


class CoverageRenewalSerializer(serializers.Serializer):
    start_date = serializers.DateField()
    expiry_date = serializers.DateField()
    contract_number = serializers.CharField(max_length=100, required=False, allow_blank=True,
                                            default="")  # fmt: skip
    note = NoteField(required=False, allow_blank=True, default="")


class CoverageReminderDaysSerializer(serializers.Serializer):
    reminder_days = serializers.CharField(max_length=60, help_text="e.g. 60,30,7")


class CoverageForAssetQuerySerializer(ScopedRelatedFieldsMixin, serializers.Serializer):
    asset = serializers.PrimaryKeyRelatedField(queryset=Asset.objects.all())
    on = serializers.DateField(required=False)


class ConsultingSerializer(serializers.ModelSerializer):
    moves = MovesField(CONSULTING_FLOW)
    proposal = serializers.SerializerMethodField()

    class Meta:
        model = ConsultingRequest
        fields = ["id", "number", "customer", "site", "title", "description", "state",
                  "submitted_at", "submitted_by", "owner", "proposal", "delivered_at",
                  "closed_at", "close_note", "moves"]  # fmt: skip
        read_only_fields = fields

    def get_proposal(self, consulting) -> str:
        """The provider sees the proposal as it is written; the customer once delivered."""
        user = getattr(self.context.get("request"), "user", None)
        return consulting.proposal if proposal_visible_to(consulting, user) else ""


class ConsultingCreateSerializer(ScopedRelatedFieldsMixin, serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all(), required=False)
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.all(), required=False, allow_null=True, default=None
    )
    title = serializers.CharField(max_length=200)
    description = NoteField()

    def validate(self, attrs):
        user = self.context["request"].user
        if attrs.get("customer") is None:
            if not user.customer_id:
                raise serializers.ValidationError({"customer": [_("请指定客户。")]})
            attrs["customer"] = user.customer
        return attrs


class ConsultingOwnerSerializer(serializers.Serializer):
    owner = serializers.IntegerField(help_text="A provider engineer's user id.")


class ConsultingNoteSerializer(serializers.Serializer):
    note = NoteField(required=False, allow_blank=True, default="")


class ConsultingDraftSerializer(serializers.Serializer):
    proposal = NoteField(allow_blank=True)
