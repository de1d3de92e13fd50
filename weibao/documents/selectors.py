"""Reads of signed documents, always through the user's scope."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from weibao.documents.choices import DocumentState
from weibao.documents.models import SignedDocument

LIGHT = ("pdf", "signature_image")  # not needed for lists


def visible_documents(user):
    """The documents `user` may see, newest first, without the heavy columns."""
    return (
        SignedDocument.objects.visible_to(user)
        .defer(*LIGHT)
        .select_related("customer", "site", "ticket")
    )


def awaiting_signature(user):
    """Documents of the user's scope that wait for the customer's signature (待我签字)."""
    return visible_documents(user).filter(state=DocumentState.AWAITING_SIGNATURE)


def documents_of(subject):
    """The documents owned by one object (a visit, an inspection, a training session…)."""
    return (
        SignedDocument.objects.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
        )
        .defer(*LIGHT)
        .order_by("created_at", "id")
    )
