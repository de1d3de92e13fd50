"""Work notes and attachments on a ticket (TKT-3): an internal note for the provider's staff
or a reply the customer reads, with photos and files.

Who may write: `ticket.open` ("受理请求；添加备注和附件") for the ticket's customer — the
provider's desk and engineers, and a customer's own users on their own tickets (the callers
find the ticket through `Ticket.objects.visible_to`, so another customer's ticket is 404).

A customer's note is always public: a customer has no internal notes, so `visibility` is
ignored for them (forced to public, never refused). Every file is checked by `core.uploads`
before it is stored: size first, content matching its extension, a photo without its EXIF.

A customer's note tells the provider's staff (the assigned engineer, or the engineers on duty
for the customer when nobody is assigned, and the support desk) through the outbox.

An attachment is deleted by whoever uploaded it, or by the provider's staff who work the
ticket (`ticket.work`); a customer never deletes a file of the provider's staff. The deletion
is an event on the ticket; the stored file goes once the deletion is committed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.capabilities import Capability
from weibao.accounts.choices import Role
from weibao.contracts.policy import EscalationTarget
from weibao.core import bounds, clock, permissions, uploads
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import event_text, with_note
from weibao.escalations.recipients import recipients_for
from weibao.notifications.choices import NotificationKind
from weibao.notifications.services import notify
from weibao.tickets.choices import TicketEvent
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
    if getattr(actor, "customer_id", None):
        _tell_staff(note, files=len(checked))
    return note


def _tell_staff(note: TicketNote, *, files: int) -> None:
    """Tell the provider's staff that the customer wrote on their request: the assigned
    engineer (or the customer's engineers when nobody is assigned) and the support desk."""
    ticket = note.ticket
    recipients = [
        *recipients_for(
            EscalationTarget.FIELD_ENGINEER,
            customer_id=ticket.customer_id,
            engineer=ticket.assigned_engineer,
        ),
        *recipients_for(Role.SUPPORT_AGENT, customer_id=ticket.customer_id, engineer=None),
    ]
    number = ticket.number or str(ticket.pk)
    # worded in each recipient's language by the outbox
    subject = event_text("【客户留言】工单 %(number)s", number=number)
    body = event_text(
        "%(customer)s 在工单 %(number)s 上留言：%(body)s",
        customer=ticket.customer,
        number=number,
        body=note.body[:500] or "—",
    )
    if files:
        body = with_note(
            body, event_text("（附件 %(n)s 个）", n=files), gettext_noop("%(event)s%(note)s")
        )
    notify(
        recipients=recipients,
        subject=subject,
        body=body,
        kind=NotificationKind.TICKET_NOTE,
        dedupe_key=f"ticket:{ticket.pk}:note:{note.pk}",
        customer=ticket.customer,
        ref_type="ticket",
        ref_id=number,
        payload={"note": note.pk, "files": files},
    )


def can_delete_attachment(attachment: TicketAttachment, actor) -> bool:
    """Whether `actor` may delete `attachment`: its uploader (who may still write on the
    ticket), or the provider's staff who work tickets of its customer."""
    customer_id = attachment.ticket.customer_id
    if not permissions.can(actor, Capability.TICKET_OPEN, customer_id=customer_id):
        return False
    if attachment.uploaded_by_id is not None and attachment.uploaded_by_id == actor.pk:
        return True
    if getattr(actor, "customer_id", None):
        return False  # a customer never deletes the provider's files
    return permissions.can(actor, Capability.TICKET_WORK, customer_id=customer_id)


@transaction.atomic
def delete_attachment(attachment: TicketAttachment, *, actor) -> None:
    """Delete `attachment` (see `can_delete_attachment`), written on the ticket's timeline as
    an event. Its note goes too when it is left with neither text nor files. The stored file
    is removed after the commit, so a rolled-back deletion keeps it."""
    if not can_delete_attachment(attachment, actor):
        raise permissions.PermissionRefused(
            _("只有上传人或处理工单的服务商人员可以删除此附件。"),
            capability=Capability.TICKET_WORK,
        )
    ticket, note = attachment.ticket, attachment.note
    record_event(
        ticket,
        kind=TicketEvent.ATTACHMENT_DELETED,
        actor=actor,
        message=event_text("删除了附件 %(name)s", name=attachment.name),
        data={"attachment": attachment.pk, "name": attachment.name, "note": attachment.note_id},
    )
    storage, stored_name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if note is not None and not note.body and not note.attachments.exists():
        note.delete()
    transaction.on_commit(lambda: _remove_file(storage, stored_name))


def _remove_file(storage, name: str) -> None:
    """Remove a stored file; one already gone is not an error (a deletion run twice)."""
    if name and storage.exists(name):
        storage.delete(name)
