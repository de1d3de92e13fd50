from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentState(models.TextChoices):
    """A signed document's life: filled in, waiting for the customer, signed (and frozen),
    or refused by the customer (the reason recorded)."""

    DRAFT = "draft", _("草稿")
    AWAITING_SIGNATURE = "awaiting_signature", _("待签字")
    SIGNED = "signed", _("已签字")
    SIGNATURE_REFUSED = "signature_refused", _("客户拒签")


# The shared stylesheet's badge colour for each document state (a draft has none).
STATE_BADGES = {
    DocumentState.DRAFT: "",
    DocumentState.AWAITING_SIGNATURE: "pending",
    DocumentState.SIGNED: "done",
    DocumentState.SIGNATURE_REFUSED: "breached",
}


class DocumentEvent(models.TextChoices):
    """Event kinds documents write to the timeline (`core.audit.record_event`)."""

    SIGNATURE_REQUESTED = "document.signature_requested", _("请客户签字")
    SIGNED = "document.signed", _("已签字")
    SIGNATURE_REFUSED = "document.signature_refused", _("客户拒签")
