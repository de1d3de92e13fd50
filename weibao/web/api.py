"""The API counterpart of the Excel import pages: `POST /api/imports/{kind}/`.

`dry_run=true` (the default) previews: the file is kept and each row reported as new,
changed, unchanged or in error; nothing is written. The answer's `token` names the file:
`dry_run=false` with that `token` writes exactly what was previewed (all rows in one
transaction, or none). `dry_run=false` with a `file` previews and writes in one call."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from weibao.accounts.capabilities import Capability
from weibao.api.errors import envelope
from weibao.api.schema import answers
from weibao.core import imports, permissions
from weibao.web.imports import KINDS, kind_of


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="The filled-in .xlsx template.")
    token = serializers.CharField(
        required=False, help_text="The `token` of an earlier dry run, to write what it showed."
    )
    dry_run = serializers.BooleanField(default=True)

    def validate(self, attrs):
        if not attrs.get("file") and not attrs.get("token"):
            raise serializers.ValidationError(
                {"file": [gettext_lazy("请选择要导入的 Excel 文件。")]}
            )
        return attrs


class ImportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(source="number", help_text="The row in the spreadsheet.")
    status = serializers.ChoiceField(choices=["new", "update", "skip", "invalid", "error"])
    status_label = serializers.CharField()
    changed = serializers.ListField(child=serializers.CharField())
    messages = serializers.ListField(child=serializers.CharField())


class ImportReportSerializer(serializers.Serializer):
    kind = serializers.CharField(source="kind.key")
    token = serializers.CharField()
    written = serializers.BooleanField()
    new = serializers.IntegerField()
    changed = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    invalid = serializers.IntegerField()
    errors = serializers.ListField(child=serializers.CharField())
    rows = ImportRowSerializer(many=True)


@extend_schema(
    operation_id="imports_create",
    parameters=[
        OpenApiParameter("kind", OpenApiTypes.STR, OpenApiParameter.PATH, enum=sorted(KINDS))
    ],
    request={"multipart/form-data": ImportRequestSerializer},
    responses={**answers(ImportReportSerializer), 201: ImportReportSerializer},
    summary="Import customers, contacts, sites or assets from Excel (master.import)",
)
@api_view(["POST"])
@parser_classes([MultiPartParser, FormParser])
def import_master_data(request, kind: str):
    chosen = kind_of(kind)
    permissions.require(request.user, Capability.MASTER_IMPORT)
    body = ImportRequestSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    data = body.validated_data
    token = data.get("token") or imports.store(chosen, data["file"], actor=request.user)
    if data["dry_run"]:
        report = imports.preview(chosen, token, actor=request.user)
        return Response(ImportReportSerializer(report).data)
    if data.get("file"):
        imports.preview(chosen, token, actor=request.user)
    report = imports.confirm(chosen, token, actor=request.user)
    if not report.written:
        message = report.errors[0] if report.errors else _invalid_message(report)
        fields = {"file": report.messages}
        return Response(
            envelope("import_invalid", message, fields), status=status.HTTP_400_BAD_REQUEST
        )
    return Response(ImportReportSerializer(report).data, status=status.HTTP_201_CREATED)


def _invalid_message(report) -> str:
    return _("%(rows)s 行有错误，未写入任何数据。") % {"rows": report.invalid}
