from django.contrib import admin

from weibao.documents.models import SignedDocument


@admin.register(SignedDocument)
class SignedDocumentAdmin(admin.ModelAdmin):
    """Read-only: documents are written through their services, and sealed once signed."""

    list_display = ["id", "kind", "title", "customer", "ticket", "state", "signer_name",
                    "signed_at"]  # fmt: skip
    list_filter = ["state", "kind", "customer"]
    search_fields = ["title", "signer_name", "ticket__number"]
    exclude = ["pdf", "signature_image"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
