"""Work notes and attachments on a ticket (TKT-3): an internal note for the provider's staff
or a reply the customer reads, with photos and files.

Who may write: `ticket.open` ("受理请求；添加备注和附件") for the ticket's customer — the
provider's desk and engineers, and a customer's own users on their own tickets (the callers
find the ticket through `Ticket.objects.visible_to`, so another customer's ticket is 404).

A customer's note is always public: a customer has no internal notes, so `visibility` is
ignored for them (forced to public, never refused). Every file is checked by `core.uploads`
before it is stored: size first, content matching its extension, a photo without its EXIF.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath

from django.db import transaction
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.core import bounds, clock, permissions, uploads
from weibao.core.errors import DomainError
from weibao.tickets.models import NoteVisibility, Ticket, TicketAttachment, TicketNote

MAX_ATTACHMENT_BYTES = 20 * uploads.MB
MAX_FILES_PER_NOTE = 10
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "gif": "image/gif",
    "heic": "image/heic",
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "txt": "text/plain",
    "csv": "text/csv",
    "log": "text/plain",
}
EXTENSIONS = tuple(CONTENT_TYPES)


def visibility_for(actor, visibility: str) -> str:
    """The visibility a note of `actor` gets: a customer's is always public."""
    if getattr(actor, "customer_id", None):
        return NoteVisibility.PUBLIC
    if visibility not in NoteVisibility.values:
        raise DomainError(_("无效的可见范围。"), field="visibility")
    return visibility


def _checked_file(upload, field: str) -> TicketAttachment:
    stored = uploads.check_file(
        upload, field=field, extensions=EXTENSIONS, max_bytes=MAX_ATTACHMENT_BYTES
    )
    name = PurePath(getattr(upload, "name", "") or "file").name[-150:]
    extension = PurePath(name).suffix.lower().lstrip(".")
    return TicketAttachment(
        file=stored, name=name, content_type=CONTENT_TYPES[extension], size=stored.size
    )


@transaction.atomic
def add_note(
    ticket: Ticket,
    *,
    actor,
    body: str = "",
    visibility: str = NoteVisibility.INTERNAL,
    files: Iterable = (),
) -> TicketNote:
    """Write a note (text, files or both) on `ticket`; refused with the field's message when
    it is empty, too long, or a file is too large or not an allowed type. Nothing is stored
    when anything is refused."""
    permissions.require(actor, Capability.TICKET_OPEN, customer_id=ticket.customer_id)
    body = (body or "").strip()
    files = [f for f in files if f]
    bounds.check_text(body, "body")
    if not body and not files:
        raise DomainError(_("请填写备注内容或添加附件。"), code="note_empty", field="body")
    if len(files) > MAX_FILES_PER_NOTE:
        raise DomainError(
            _("一次最多上传 %(n)s 个文件。") % {"n": MAX_FILES_PER_NOTE}, field="files"
        )
    visibility = visibility_for(actor, visibility)
    checked = [_checked_file(upload, "files") for upload in files]
    note = TicketNote.objects.create(
        ticket=ticket, author=actor, body=body, visibility=visibility, created_at=clock.now()
    )
    for attachment in checked:
        attachment.ticket = ticket
        attachment.note = note
        attachment.visibility = visibility
        attachment.uploaded_by = actor
        attachment.created_at = note.created_at
        attachment.save()
    return note
