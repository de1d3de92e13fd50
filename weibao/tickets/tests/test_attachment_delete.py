"""A customer's note tells the provider's staff; an attachment is deleted by its uploader or
by staff who work the ticket — never a provider's file by a customer — from the timeline
(web, htmx) and the API, written on the timeline, the stored file removed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from weibao.accounts.choices import Role
from weibao.core.models import ChangeLog
from weibao.notifications.models import Notification
from weibao.testing import factories as f
from weibao.tickets.choices import TicketEvent
from weibao.tickets.models import TicketAttachment, TicketNote
from weibao.tickets.services import notes

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer_user(desk):
    return f.CustomerUserFactory(
        customer=desk.customer, username="qian", full_name="钱值班员", roles=[Role.CUSTOMER_STAFF]
    )


def _pdf(name="说明.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")


def _attach(ticket, actor, *, body="", visibility="public") -> TicketAttachment:
    note = notes.add_note(ticket, actor=actor, body=body, visibility=visibility, files=[_pdf()])
    return note.attachments.get()


# --- staff are told of a customer's note ------------------------------------------------------


def test_a_customers_note_tells_the_desk_and_the_assigned_engineer(desk, customer_user):
    ticket = desk.open()
    ticket.assigned_engineer = desk.engineer
    ticket.save(update_fields=["assigned_engineer"])

    notes.add_note(ticket, actor=customer_user, body="机柜又报警了", files=[_pdf()])

    told = Notification.objects.filter(kind="ticket_note")
    assert {n.recipient for n in told} == {desk.agent, desk.engineer}
    message = told.first()
    assert ticket.number in message.subject and "机柜又报警了" in message.body
    assert "附件 1 个" in message.body and message.ref_id == ticket.number


def test_staff_notes_tell_nobody(desk):
    ticket = desk.open()
    notes.add_note(ticket, actor=desk.agent, body="内部记录", visibility="internal")
    assert not Notification.objects.filter(kind="ticket_note").exists()


# --- deleting an attachment ---------------------------------------------------------------------


def test_the_uploader_deletes_their_file_from_the_timeline(
    client, desk, customer_user, django_capture_on_commit_callbacks
):
    ticket = desk.open()
    item = _attach(ticket, customer_user, body="补充照片")
    storage, stored = item.file.storage, item.file.name
    assert storage.exists(stored)
    client.force_login(customer_user)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert f"/tickets/attachments/{item.pk}/delete/" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/tickets/attachments/{item.pk}/delete/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert item.name not in response.content.decode()
    assert not TicketAttachment.objects.exists()
    assert not storage.exists(stored)
    assert TicketNote.objects.get().body == "补充照片"  # the note's text stays
    event = ChangeLog.objects.get(kind=TicketEvent.ATTACHMENT_DELETED)
    assert event.actor == customer_user and item.name in event.message
    client.force_login(desk.agent)
    assert f"删除了附件 {item.name}" in client.get(f"/tickets/{ticket.pk}/").content.decode()


def test_a_customer_cannot_delete_the_providers_file(client, api, desk, customer_user):
    ticket = desk.open()
    item = _attach(ticket, desk.engineer, body="处理说明")
    client.force_login(customer_user)
    assert "attachment-delete" not in client.get(f"/tickets/{ticket.pk}/").content.decode()

    assert client.post(f"/tickets/attachments/{item.pk}/delete/").status_code == 403
    api.force_authenticate(customer_user)
    answer = api.delete(f"/api/tickets/{ticket.pk}/attachments/{item.pk}/")
    assert answer.status_code == 403 and answer.json()["code"] == "permission_denied"
    assert TicketAttachment.objects.filter(pk=item.pk).exists()
    assert item.file.storage.exists(item.file.name)


def test_staff_who_work_tickets_delete_a_customers_file_through_the_api(
    api, desk, customer_user, django_capture_on_commit_callbacks
):
    ticket = desk.open()
    item = _attach(ticket, customer_user)  # a note with nothing but the file
    api.force_authenticate(desk.agent)

    with django_capture_on_commit_callbacks(execute=True):
        answer = api.delete(f"/api/tickets/{ticket.pk}/attachments/{item.pk}/")

    assert answer.status_code == 204
    assert not TicketAttachment.objects.exists()
    assert not TicketNote.objects.exists()  # left empty, the note goes too
    assert not item.file.storage.exists(item.file.name)
    assert api.delete(f"/api/tickets/{ticket.pk}/attachments/{item.pk}/").status_code == 404


def test_staff_without_ticket_work_may_delete_only_their_own(client, desk):
    ticket = desk.open()
    keeper = f.UserFactory(provider=desk.agent.provider, roles=[Role.SPARE_KEEPER])
    item = _attach(ticket, desk.engineer, visibility="internal")
    client.force_login(keeper)
    assert client.post(f"/tickets/attachments/{item.pk}/delete/").status_code == 403
    assert TicketAttachment.objects.filter(pk=item.pk).exists()


def test_another_customers_attachment_is_404(client, api, desk):
    ticket = desk.open()
    item = _attach(ticket, desk.engineer)
    stranger = f.CustomerUserFactory(roles=[Role.CUSTOMER_STAFF])
    client.force_login(stranger)
    assert client.post(f"/tickets/attachments/{item.pk}/delete/").status_code == 404
    api.force_authenticate(stranger)
    assert api.delete(f"/api/tickets/{ticket.pk}/attachments/{item.pk}/").status_code == 404
    assert TicketAttachment.objects.filter(pk=item.pk).exists()
