"""Work notes and attachments (issue 12 #4): internal notes and customer replies on a ticket
through the web (htmx and plain) and the API, photos and files checked before they are
stored, one timeline of moves in words and notes, and action buttons that follow the state."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from weibao.accounts.choices import Role
from weibao.core.tests.images import has_exif, photo_with_gps
from weibao.testing import factories as f
from weibao.tickets import services
from weibao.tickets.models import NoteVisibility, TicketAttachment, TicketNote
from weibao.tickets.services import notes

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer_user(desk):
    return f.CustomerUserFactory(
        customer=desk.customer, username="qian", full_name="钱值班员", roles=[Role.CUSTOMER_STAFF]
    )


def _photo(name="现场.jpg"):
    return SimpleUploadedFile(name, photo_with_gps(), content_type="image/jpeg")


# --- web -------------------------------------------------------------------------------------


def test_agent_writes_an_internal_note_with_htmx_and_sees_it_on_the_timeline(client, desk):
    ticket = desk.open()
    client.force_login(desk.agent)

    response = client.post(
        f"/tickets/{ticket.pk}/notes/",
        {"body": "已电话联系值班员，等待重启结果", "visibility": "internal"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "已电话联系值班员，等待重启结果" in page and "内部备注" in page
    note = TicketNote.objects.get()
    assert note.visibility == NoteVisibility.INTERNAL and note.author == desk.agent


def test_a_reply_to_the_customer_with_a_file_from_a_plain_form(client, desk, customer_user):
    ticket = desk.open()
    client.force_login(desk.engineer)
    pdf = SimpleUploadedFile("处理说明.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")

    response = client.post(
        f"/tickets/{ticket.pk}/notes/",
        {"body": "已更换电源板，请观察", "visibility": "public", "files": [pdf]},
    )

    assert response.status_code == 302 and response.url.endswith("#notes")
    attachment = TicketAttachment.objects.get()
    assert attachment.content_type == "application/pdf" and attachment.visibility == "public"
    client.force_login(customer_user)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "已更换电源板，请观察" in page and "处理说明.pdf" in page
    assert "维护工程师" in page  # the author by role, not by name
    download = client.get(f"/tickets/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_an_empty_note_is_refused_on_its_field_and_keeps_the_choice(client, desk):
    ticket = desk.open()
    client.force_login(desk.agent)

    response = client.post(f"/tickets/{ticket.pk}/notes/", {"body": "  ", "visibility": "public"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写备注内容或添加附件。" in page
    assert 'value="public" checked' in page
    assert not TicketNote.objects.exists()


def test_a_customer_adds_a_photo_to_their_request_always_public_without_exif(
    client, desk, customer_user
):
    ticket = desk.open()
    client.force_login(customer_user)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "补充说明或照片" in page and 'name="visibility"' not in page

    response = client.post(
        f"/tickets/{ticket.pk}/notes/",
        {"body": "机柜告警灯常亮", "visibility": "internal", "files": [_photo()]},
    )

    assert response.status_code == 302
    note = TicketNote.objects.get()
    assert note.visibility == NoteVisibility.PUBLIC  # a customer's note is forced public
    stored = note.attachments.get()
    assert stored.content_type == "image/jpeg"
    assert not has_exif(stored.file.read())
    client.force_login(desk.agent)
    assert "机柜告警灯常亮" in client.get(f"/tickets/{ticket.pk}/").content.decode()


def test_a_customer_cannot_note_another_customers_ticket(client, desk):
    ticket = desk.open()
    stranger = f.CustomerUserFactory(roles=[Role.CUSTOMER_STAFF])
    client.force_login(stranger)

    assert client.post(f"/tickets/{ticket.pk}/notes/", {"body": "x"}).status_code == 404
    assert not TicketNote.objects.exists()


def test_an_internal_file_is_not_downloadable_by_the_customer(client, desk, customer_user):
    ticket = desk.open()
    note = notes.add_note(ticket, actor=desk.agent, body="内部", files=[_photo()])
    client.force_login(customer_user)

    assert client.get(f"/tickets/attachments/{note.attachments.get().pk}/").status_code == 404


# --- API -------------------------------------------------------------------------------------


def test_api_notes_are_written_and_listed_as_the_reader_may_see_them(api, desk, customer_user):
    ticket = desk.open()
    api.force_authenticate(desk.agent)
    internal = api.post(f"/api/tickets/{ticket.pk}/notes/", {"body": "内部：疑似电源故障"})
    public = api.post(
        f"/api/tickets/{ticket.pk}/notes/",
        {"body": "工程师正在排查", "visibility": "public"},
        format="json",
    )
    assert internal.status_code == 201 and internal.json()["visibility"] == "internal"
    assert public.status_code == 201

    assert len(api.get(f"/api/tickets/{ticket.pk}/notes/").json()) == 2
    api.force_authenticate(customer_user)
    seen = api.get(f"/api/tickets/{ticket.pk}/notes/").json()
    assert [n["body"] for n in seen] == ["工程师正在排查"]
    assert seen[0]["author_name"] == "客户支持中心坐席 用工"  # role + surname (用户N)

    mine = api.post(
        f"/api/tickets/{ticket.pk}/notes/", {"body": "补充：告警编号 A12", "visibility": "internal"}
    )
    assert mine.status_code == 201 and mine.json()["visibility"] == "public"
    assert mine.json()["author_name"] == "钱值班员"  # the customer's own name


def test_api_refuses_an_empty_note_with_the_field_message(api, desk):
    ticket = desk.open()
    api.force_authenticate(desk.agent)

    response = api.post(f"/api/tickets/{ticket.pk}/notes/", {"body": ""}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "note_empty"
    assert body["fields"]["body"] == ["请填写备注内容或添加附件。"]


def test_api_note_on_another_customers_ticket_is_404(api, desk):
    ticket = desk.open()
    api.force_authenticate(f.CustomerUserFactory(roles=[Role.CUSTOMER_STAFF]))

    assert api.post(f"/api/tickets/{ticket.pk}/notes/", {"body": "x"}).status_code == 404
    assert api.get(f"/api/tickets/{ticket.pk}/notes/").status_code == 404


def test_api_attachment_upload_oversize_and_wrong_type_are_refused(api, desk):
    ticket = desk.open()
    api.force_authenticate(desk.engineer)
    too_big = SimpleUploadedFile(
        "日志.txt", b"a" * (20 * 1024 * 1024 + 1), content_type="text/plain"
    )

    refused = api.post(f"/api/tickets/{ticket.pk}/attachments/", {"file": too_big})

    assert refused.status_code == 400
    assert refused.json()["fields"]["file"] == ["文件过大（20 MB），不能超过 20 MB。"]
    program = SimpleUploadedFile("tool.exe", b"MZ\x90\x00", content_type="application/x-msdos")
    wrong = api.post(f"/api/tickets/{ticket.pk}/attachments/", {"file": program})
    assert wrong.status_code == 400 and "不支持的文件类型 .exe" in wrong.json()["fields"]["file"][0]
    assert not TicketAttachment.objects.exists() and not TicketNote.objects.exists()

    ok = api.post(
        f"/api/tickets/{ticket.pk}/attachments/",
        {"file": _photo(), "body": "现场照片", "visibility": "public"},
    )
    assert ok.status_code == 201
    attachment = ok.json()["attachments"][0]
    assert attachment["content_type"] == "image/jpeg"
    download = api.get(attachment["url"])
    assert download.status_code == 200
    assert not has_exif(b"".join(download.streaming_content))


# --- one timeline, in words ------------------------------------------------------------------


def test_the_timeline_tells_moves_in_words_beside_the_notes(client, desk, customer_user):
    desk.manager.full_name = "张三"
    desk.manager.save(update_fields=["full_name"])
    ticket = desk.open(level="L3")
    services.change_level(ticket, level="L2", reason="影响扩大", actor=desk.manager)
    services.move(ticket, "start_phone", actor=desk.agent)
    notes.add_note(ticket, actor=desk.agent, body="已告知客户处理进度", visibility="public")

    client.force_login(desk.agent)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "张三 将级别从 三级 改为 二级，原因：影响扩大" in page
    assert "将工单从 已受理 转为 电话支持" in page
    assert "个字段" not in page.split('data-testid="audit"')[0]
    assert page.index("将级别从") < page.index("已告知客户处理进度")

    client.force_login(customer_user)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "维护管理经理 张工 将级别从 三级 改为 二级" in page
    assert "影响扩大" not in page  # the internal reason stays inside


# --- state-aware buttons ---------------------------------------------------------------------


def _buttons(client, ticket) -> str:
    return client.get(f"/tickets/{ticket.pk}/").content.decode()


def test_clock_buttons_follow_the_clocks(client, desk):
    ticket = desk.open(level="L2")
    client.force_login(desk.agent)

    page = _buttons(client, ticket)
    assert 'data-action="respond"' in page and 'data-action="pause"' in page
    assert 'data-action="resume"' not in page and 'data-action="remote_connected"' not in page
    assert 'data-move="start_phone"' in page and 'data-move="close"' not in page

    services.pause(ticket, reason="等待客户开门", actor=desk.agent)
    page = _buttons(client, ticket)
    assert 'data-action="resume"' in page and 'data-action="pause"' not in page

    services.resume(ticket, actor=desk.agent)
    services.respond(ticket, actor=desk.agent)
    page = _buttons(client, ticket)
    assert 'data-action="respond"' not in page


def test_consent_is_offered_only_until_it_is_recorded(client, desk):
    ticket = desk.open(level="L2")
    services.move(ticket, "start_phone", actor=desk.agent)
    client.force_login(desk.agent)
    assert 'data-testid="consent-form"' in _buttons(client, ticket)

    services.record_consent(ticket, by="钱值班员", method="phone", actor=desk.agent)
    assert 'data-testid="consent-form"' not in _buttons(client, ticket)


def test_a_customer_sees_no_work_buttons(client, desk, customer_user):
    ticket = desk.open(level="L2")
    client.force_login(customer_user)
    page = _buttons(client, ticket)
    assert "data-move=" not in page and "data-action=" not in page
    assert 'data-testid="note-form"' in page


def test_the_engineer_reaches_the_notes_from_todays_visit_card(client, desk):
    from weibao.fieldservice import services as fieldservice

    ticket = desk.open(level="L2")
    services.move(ticket, "start_phone", actor=desk.agent)
    services.move(ticket, "go_onsite", actor=desk.agent)
    fieldservice.dispatch(ticket, engineer=desk.engineer, actor=desk.manager)
    client.force_login(desk.engineer)

    page = client.get("/fieldservice/today/").content.decode()

    assert f'href="/tickets/{ticket.pk}/#notes"' in page
    ticket_page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'data-testid="note-form"' in ticket_page
