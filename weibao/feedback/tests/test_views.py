"""Feedback screens: the agent's callback list, complaint list with countdowns, and the
customer portal (surveys waiting, statements awaiting approval, my complaints)."""

import io

import pytest
from openpyxl import load_workbook

from weibao.billing import seed
from weibao.billing import services as billing
from weibao.billing.models import ExclusionCause
from weibao.feedback import services
from weibao.feedback.models import Complaint
from weibao.tickets.choices import Stage
from weibao.tickets.models import Ticket

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.feedback.tests.urls")]


def complain(desk, actor=None, **extra):
    return services.record_complaint(
        customer=desk.customer, site=desk.site, channel="phone", text="工程师迟迟未到现场",
        actor=actor or desk.agent, **extra,
    )  # fmt: skip


def test_agent_records_a_callback_from_the_waiting_list(client, desk, resolved):
    client.force_login(desk.agent)
    page = client.get("/feedback/callbacks/").content.decode()
    assert resolved.number in page and 'data-testid="callback-form-' in page

    prefix = f"t{resolved.pk}-"
    client.post(f"/feedback/callbacks/{resolved.pk}/", {
        prefix + "method": "phone", prefix + "respondent": "孔工", prefix + "satisfied": "yes",
        prefix + "score": "5", prefix + "note": "已恢复"})  # fmt: skip

    assert Ticket.objects.get(pk=resolved.pk).stage == Stage.CLOSED
    page = client.get("/feedback/callbacks/").content.decode()
    assert "没有等待回访的工单" in page and "电话回访" in page


def test_customers_cannot_open_the_agents_callback_list(client, client_user):
    client.force_login(client_user)
    assert client.get("/feedback/callbacks/").status_code == 403


def test_customer_answers_the_survey_in_the_portal(client, client_user, resolved):
    client.force_login(client_user)
    portal = client.get("/feedback/portal/").content.decode()
    assert f"/feedback/surveys/{resolved.pk}/" in portal

    answer = {"score": "2", "satisfied": "no", "comment": "画面仍然卡顿"}
    response = client.post(f"/feedback/surveys/{resolved.pk}/", answer)

    assert response.status_code == 302
    ticket = Ticket.objects.get(pk=resolved.pk)
    assert ticket.stage == Stage.PHONE and ticket.reopen_count == 1
    assert "画面仍然卡顿" in client.get("/feedback/surveys/").content.decode()


def test_survey_form_shows_why_a_reason_is_needed(client, client_user, resolved):
    client.force_login(client_user)
    answer = {"score": "1", "satisfied": "no", "comment": ""}
    page = client.post(f"/feedback/surveys/{resolved.pk}/", answer).content.decode()
    assert "请说明不满意的原因" in page
    assert Ticket.objects.get(pk=resolved.pk).stage == Stage.RESOLVED


def test_another_customers_survey_is_404(client, world, resolved):
    client.force_login(world.user_b)
    assert client.get(f"/feedback/surveys/{resolved.pk}/").status_code == 404
    assert resolved.number not in client.get("/feedback/surveys/").content.decode()


def test_portal_lists_statements_awaiting_approval(client, desk, client_user):
    from django.apps import apps

    seed.load(apps)
    ticket = desk.open(level="L3")
    exclusion = billing.mark_out_of_scope(
        ticket, causes=ExclusionCause.objects.filter(code="negligence"), evidence="线缆被剪断",
        actor=desk.engineer,
    )  # fmt: skip
    statement = exclusion.statements.get()
    billing.add_line(statement, kind="service_fee", description="技术服务费", quantity="1",
                     unit_price="300", actor=desk.engineer)  # fmt: skip
    client.force_login(client_user)
    assert statement.number not in client.get("/feedback/portal/").content.decode()
    billing.send_statement(statement, actor=desk.manager)
    portal = client.get("/feedback/portal/").content.decode()
    assert statement.number in portal and "300.00" in portal


def test_agent_complaint_list_counts_down_to_the_first_response(client, desk):
    complaint = complain(desk)
    client.force_login(desk.agent)
    page = client.get("/feedback/complaints/").content.decode()
    assert complaint.number in page
    assert 'class="countdown" data-due="2026-03-03T03:00:00+08:00"' in page
    assert "剩余 1 天 0 小时" in page  # a day or more reads in days and hours


def test_complaint_list_searches_counts_and_exports(client, desk):
    slow = complain(desk)
    rude = services.record_complaint(
        customer=desk.customer, channel="phone", text='=HYPERLINK("x") 态度不好', actor=desk.agent
    )
    client.force_login(desk.agent)
    page = client.get("/feedback/complaints/?q=态度").content.decode()
    assert "共 1 条" in page and rude.number in page and slow.number not in page
    export = client.get("/feedback/complaints/?q=态度&format=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "投诉编号" and [r[0] for r in rows[1:]] == [rude.number]
    assert sheet.cell(row=2, column=6).data_type == "s"
    page = client.get("/feedback/complaints/?sort=-number").content.decode()
    assert page.index(rude.number) < page.index(slow.number)


def test_agent_records_a_complaint_for_a_ticket(client, desk):
    ticket = desk.open(level="L2")
    client.force_login(desk.agent)
    response = client.post("/feedback/complaints/new/", {
        "customer": desk.customer.pk, "site": "", "ticket": ticket.number, "channel": "phone",
        "complainant": "孔工", "complainant_phone": "139", "text": "响应太慢"})  # fmt: skip
    complaint = Complaint.objects.get()
    assert response.url == f"/feedback/complaints/{complaint.pk}/"
    assert complaint.ticket == ticket and complaint.site == desk.site


def test_customer_confirms_a_resolved_complaint_in_the_portal(client, desk, client_user):
    complaint = complain(desk)
    client.force_login(client_user)
    page = client.get(f"/feedback/complaints/{complaint.pk}/").content.decode()
    assert 'data-move="confirm"' not in page  # nothing to confirm yet
    services.respond_to_complaint(complaint, text="已致歉", actor=desk.account)
    services.resolve_complaint(complaint, resolution="改进派工", actor=desk.account)

    page = client.get(f"/feedback/complaints/{complaint.pk}/").content.decode()
    assert 'data-move="confirm"' in page and 'data-move="respond"' not in page
    client.post(f"/feedback/complaints/{complaint.pk}/confirm/", {"note": "可以"})

    assert Complaint.objects.get(pk=complaint.pk).is_closed


def test_customer_sees_only_their_own_complaints(client, desk, client_user, world):
    ours = complain(desk)
    theirs = services.record_complaint(
        customer=world.customer_b, channel="email", text="乙客户的投诉", actor=world.provider_user
    )
    client.force_login(client_user)
    listing = client.get("/feedback/complaints/").content.decode()
    assert ours.number in listing and theirs.number not in listing
    assert client.get(f"/feedback/complaints/{theirs.pk}/").status_code == 404
    assert client.post(f"/feedback/complaints/{theirs.pk}/confirm/").status_code == 404


def test_customer_complains_from_the_portal(client, client_user):
    client.force_login(client_user)
    form = client.get("/feedback/complaints/new/").content.decode()
    assert 'name="customer"' not in form and 'name="channel"' not in form
    client.post("/feedback/complaints/new/", {"text": "报修电话长时间占线", "ticket": ""})
    complaint = Complaint.objects.get()
    assert complaint.channel == "portal" and complaint.customer == client_user.customer


def test_callback_results_search_sort_count_and_export_web_and_api(
    client, api, desk, resolved, client_user, world
):
    services.record_agent_callback(
        resolved, method="phone", respondent="孔工", satisfied=True, score=5, note="已恢复",
        actor=desk.agent,
    )  # fmt: skip
    client.force_login(desk.agent)
    page = client.get("/feedback/callbacks/", {"q": "孔工"}).content.decode()
    assert "共 1 条" in page and resolved.number in page
    assert "共 0 条" in client.get("/feedback/callbacks/", {"q": "别人"}).content.decode()
    export = client.get("/feedback/callbacks/", {"sort": "-at", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("回访时间", "工单") and "回访人" in rows[0]
    record = dict(zip(rows[0], rows[1], strict=True))
    assert (record["工单"], record["受访人"], record["客户满意"], record["满意度（1–5）"]) == (
        resolved.number, "孔工", "满意", 5,
    )  # fmt: skip
    api.force_authenticate(client_user)  # the customer: their own, no staff names
    rows = list(load_workbook(io.BytesIO(api.get("/api/callbacks/export/").content)).active
                .iter_rows(values_only=True))  # fmt: skip
    assert [r[1] for r in rows[1:]] == [resolved.number] and "回访人" not in rows[0]
    api.force_authenticate(world.user_b)  # another customer: none
    rows = list(load_workbook(io.BytesIO(api.get("/api/callbacks/export/").content)).active
                .iter_rows(values_only=True))  # fmt: skip
    assert rows[1:] == []


def test_complaints_export_through_the_api_and_customers_read_no_owner(
    client, api, desk, client_user
):
    slow = complain(desk)
    services.record_complaint(customer=desk.customer, channel="phone", text="态度不好",
                              actor=desk.agent)  # fmt: skip
    api.force_authenticate(desk.agent)
    rows = list(load_workbook(io.BytesIO(api.get("/api/complaints/export/", {
        "search": "迟迟"}).content)).active.iter_rows(values_only=True))  # fmt: skip
    assert rows[0][0] == "投诉编号" and "负责人" in rows[0]
    assert [r[0] for r in rows[1:]] == [slow.number]
    api.force_authenticate(client_user)
    rows = list(load_workbook(io.BytesIO(api.get("/api/complaints/export/").content)).active
                .iter_rows(values_only=True))  # fmt: skip
    assert len(rows) == 3 and "负责人" not in rows[0]
    client.force_login(client_user)
    export = client.get("/feedback/complaints/", {"format": "xlsx"})
    assert "负责人" not in next(load_workbook(io.BytesIO(export.content)).active.iter_rows(
        values_only=True))  # fmt: skip
