"""The documents API: read documents in the user's scope, correct an unsigned one, hand it to
the customer, sign it, record the customer's refusal to sign, fetch its PDF, verify its seal.
Another customer's document answers 404. Documents are created by their owners' APIs (e.g.
`POST /api/field-visits/{id}/documents/`)."""

from __future__ import annotations

import django_filters
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from weibao.api.actions import ServiceActions
from weibao.api.exports import ListExport
from weibao.api.viewsets import ScopedReadOnlyViewSet
from weibao.documents import columns, services
from weibao.documents.api import serializers as s
from weibao.documents.models import SignedDocument


class PDFRenderer(BaseRenderer):
    """Lets clients ask for `Accept: application/pdf`; errors still answer as JSON text."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


class DocumentFilter(django_filters.FilterSet):
    class Meta:
        model = SignedDocument
        fields = ["customer", "site", "asset", "ticket", "kind", "state"]


_ERRORS = {
    400: OpenApiResponse(description='Refused: `{"code", "message", "fields"}`.'),
    403: OpenApiResponse(description="`permission_denied`: the missing `capability` is named."),
    404: OpenApiResponse(description="Not found, or not yours to see."),
}


class _FindFirst(ServiceActions):
    """Another customer's document answers 404 before its body is read."""

    def _act(self, request, serializer_class, call, code=200):
        self.get_object()
        return super()._act(request, serializer_class, call, code)


class SignedDocumentViewSet(ListExport, _FindFirst, ScopedReadOnlyViewSet):
    """Signed documents (签字文档). Customer users see their own organisation's; they and
    provider staff may sign (`POST …/sign/`); `export/` as Excel."""

    export_columns = columns.EXPORT_COLUMNS
    export_name = "documents"

    queryset = SignedDocument.objects.select_related("subject_type", "ticket").defer("pdf")
    serializer_class = s.SignedDocumentSerializer
    filterset_class = DocumentFilter
    search_fields = ["title", "signer_name"]
    ordering_fields = ["created_at", "signed_at", "id"]

    @extend_schema(request=s.SignSerializer, responses={200: s.SignedDocumentSerializer, **_ERRORS})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        return self._act(request, s.SignSerializer, lambda doc, d: services.sign_document(
            doc, actor=request.user, **d))  # fmt: skip

    @extend_schema(request=None, responses={200: s.SignedDocumentSerializer, **_ERRORS})
    @action(detail=True, methods=["post"], url_path="request-signature")
    def request_signature(self, request, pk=None):
        return self._act(request, None, lambda doc, d: services.request_signature(
            doc, actor=request.user))  # fmt: skip

    @extend_schema(request=s.RefuseSignatureSerializer,
                   responses={200: s.SignedDocumentSerializer, **_ERRORS})  # fmt: skip
    @action(detail=True, methods=["post"], url_path="refuse-signature")
    def refuse_signature(self, request, pk=None):
        return self._act(request, s.RefuseSignatureSerializer,
                         lambda doc, d: services.record_signature_refused(
                             doc, reason=d["reason"], actor=request.user))  # fmt: skip

    @extend_schema(request=s.DocumentDataSerializer,
                   responses={200: s.SignedDocumentSerializer, **_ERRORS})  # fmt: skip
    @action(detail=True, methods=["post"], url_path="edit")
    def edit(self, request, pk=None):
        return self._act(request, s.DocumentDataSerializer, lambda doc, d: services.update_document(
            doc, data=d["data"], title=d["title"], actor=request.user))  # fmt: skip

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PDFRenderer])
    def pdf(self, request, pk=None):
        doc = SignedDocument.objects.get(pk=self.get_object().pk)
        response = HttpResponse(services.document_pdf(doc), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, f"{doc.number}.pdf")
        return response

    @extend_schema(responses={200: s.VerifySerializer})
    @action(detail=True, methods=["get"])
    def verify(self, request, pk=None):
        doc = self.get_object()
        valid = services.verify_document(doc)
        return Response({"valid": valid, "content_hash": doc.content_hash})
