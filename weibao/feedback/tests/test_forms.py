"""Forms never lose input (issue 9 #7): a refused callback, survey, complaint or complaint
move re-renders its page with what was typed and the error at its field (or at the top for a
refused move). The satisfaction rule is the ticket's one rule, on every path (OTH-6)."""

import re

import pytest

from weibao.feedback import services
from weibao.feedback.models import CallbackRecord, Complaint
from weibao.tickets.choices import Stage
from weibao.tickets.models import Ticket

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.feedback.tests.urls")]


def test_agent_callback_satisfied_with_a_low_score_is_refused_at_the_score(client, desk, resolved):
    client.force_login(desk.agent)
    p = f"t{resolved.pk}-"
    response = client.post(f"/feedback/callbacks/{resolved.pk}/", {
        p + "method": "sms", p + "respondent": "孔工程师", p + "satisfied": "yes",
        p + "score": "2", p + "note": "等了很久才修好"})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="error-score"' in page and "矛盾" in page
    assert 'value="孔工程师"' in page and 'value="等了很久才修好"' in page
    assert '<option value="sms" selected>' in page and '<option value="2" selected>' in page
    assert not CallbackRecord.objects.exists()
    assert Ticket.objects.get(pk=resolved.pk).stage == Stage.RESOLVED


def test_agent_callback_needs_a_score(client, desk, resolved):
    client.force_login(desk.agent)
    p = f"t{resolved.pk}-"
    response = client.post(f"/feedback/callbacks/{resolved.pk}/", {
        p + "method": "phone", p + "respondent": "孔工", p + "satisfied": "yes",
        p + "score": ""})  # fmt: skip
    assert response.status_code == 400 and 'data-testid="error-score"' in response.content.decode()
    assert not CallbackRecord.objects.exists()


def test_portal_survey_satisfied_with_a_low_score_is_refused_at_the_score(
    client, client_user, resolved
):
    client.force_login(client_user)
    answer = {"score": "1", "satisfied": "yes", "comment": "工程师态度不好"}
    response = client.post(f"/feedback/surveys/{resolved.pk}/", answer)
    page = response.content.decode()
    assert response.status_code == 400 and "矛盾" in page
    assert "工程师态度不好</textarea>" in page
    assert re.search(r'<input type="radio" name="score" value="1"[^>]* checked>', page)
    assert Ticket.objects.get(pk=resolved.pk).stage == Stage.RESOLVED


def test_api_survey_and_callback_refuse_the_contradiction_at_the_score(
    api, desk, client_user, resolved
):
    api.force_authenticate(client_user)
    survey = api.post("/api/surveys/", {"ticket": resolved.pk, "score": 2}, format="json")
    assert survey.status_code == 400
    assert (
        survey.json()["code"] == "score_contradicts_satisfied" and survey.json()["fields"]["score"]
    )
    api.force_authenticate(desk.agent)
    callback = {"ticket": resolved.pk, "method": "phone", "respondent": "孔工",
                "satisfied": True, "score": 1}  # fmt: skip
    response = api.post("/api/callbacks/", callback, format="json")
    assert response.status_code == 400 and response.json()["fields"]["score"]
    assert Ticket.objects.get(pk=resolved.pk).stage == Stage.RESOLVED


def test_a_refused_complaint_keeps_what_was_typed(client, desk, world):
    client.force_login(desk.agent)
    response = client.post("/feedback/complaints/new/", {
        "customer": desk.customer.pk, "site": world.site_a.pk, "ticket": "", "channel": "letter",
        "complainant": "孔工", "complainant_phone": "13900000003",
        "text": "来信反映夜间值守无人"})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 400 and "机房不属于该客户" in page
    assert "来信反映夜间值守无人</textarea>" in page and 'value="13900000003"' in page
    assert not Complaint.objects.exists()


def test_a_refused_complaint_move_keeps_the_text(client, desk):
    complaint = services.record_complaint(
        customer=desk.customer, channel="phone", text="迟到", actor=desk.agent
    )
    client.force_login(desk.account)
    response = client.post(f"/feedback/complaints/{complaint.pk}/resolve/",
                           {"resolution": "已调整派工规则"})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 409 and 'data-testid="form-error"' in page
    response = client.post(f"/feedback/complaints/{complaint.pk}/respond/", {"text": "   "})
    page = response.content.decode()
    assert response.status_code == 400 and "请填写响应内容" in page
    assert 'data-move="respond"' in page


def test_agent_records_the_customers_confirmation_typed_input_kept(client, desk):
    complaint = services.record_complaint(
        customer=desk.customer, channel="phone", text="迟到", actor=desk.agent
    )
    services.respond_to_complaint(complaint, text="已致歉", actor=desk.account)
    services.resolve_complaint(complaint, resolution="已处理", actor=desk.account)
    client.force_login(desk.agent)
    typed = {"method": "email", "confirmed_by": "  ", "note": "邮件确认"}
    response = client.post(f"/feedback/complaints/{complaint.pk}/confirm/", typed)
    page = response.content.decode()
    assert response.status_code == 400 and "请填写客户方确认人" in page
    assert 'value="邮件确认"' in page and '<option value="email" selected>' in page
