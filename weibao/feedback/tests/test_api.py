"""The feedback API: complaints (customers create and confirm), surveys, callbacks."""

import io

import pytest
from openpyxl import load_workbook

from weibao.feedback import services
from weibao.tickets.choices import Stage
from weibao.tickets.models import Ticket

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.feedback.tests.urls")]


def test_customer_creates_and_confirms_a_complaint(api, desk, client_user):
    api.force_authenticate(client_user)
    created = api.post("/api/complaints/", {"text": "夜间无人接听", "site": desk.site.pk},
                       format="json")  # fmt: skip
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["channel"] == "portal" and body["owner"] == str(desk.account)
    assert body["respond_due_at"] == "2026-03-03T03:00:00+08:00"

    pk = body["id"]
    answered = api.post(f"/api/complaints/{pk}/respond/", {"text": "x"}, format="json")
    assert answered.status_code == 403
    early = api.post(f"/api/complaints/{pk}/confirm/", {}, format="json")
    assert early.status_code == 409 and early.json()["code"] == "wrong_state"

    api.force_authenticate(desk.account)
    api.post(f"/api/complaints/{pk}/respond/", {"text": "已回电致歉"}, format="json")
    api.post(f"/api/complaints/{pk}/resolve/", {"resolution": "增加夜班坐席"}, format="json")

    api.force_authenticate(client_user)
    closed = api.post(f"/api/complaints/{pk}/confirm/", {"note": "好"}, format="json").json()
    assert closed["state"] == "closed" and closed["confirmation_method"] == "portal"


def test_customer_lists_only_their_complaints(api, desk, client_user, world):
    ours = services.record_complaint(customer=desk.customer, channel="phone", text="甲",
                                     actor=desk.agent)  # fmt: skip
    theirs = services.record_complaint(customer=world.customer_b, channel="phone", text="乙",
                                       actor=world.provider_user)  # fmt: skip
    api.force_authenticate(client_user)
    assert [c["number"] for c in api.get("/api/complaints/").json()["results"]] == [ours.number]
    assert api.get(f"/api/complaints/{theirs.pk}/").status_code == 404


def test_customer_answers_the_survey(api, client_user, resolved):
    api.force_authenticate(client_user)
    waiting = api.get("/api/surveys/").json()["results"]
    assert [w["number"] for w in waiting] == [resolved.number]

    answer = {"ticket": resolved.pk, "score": 1, "satisfied": False, "comment": "还是坏的"}
    response = api.post("/api/surveys/", answer, format="json")

    assert response.status_code == 201 and response.json()["method"] == "portal_survey"
    assert Ticket.objects.get(pk=resolved.pk).stage == Stage.PHONE
    assert api.get("/api/surveys/").json()["results"] == []


def test_another_customer_cannot_answer_our_survey(api, world, resolved):
    api.force_authenticate(world.user_b)
    answer = {"ticket": resolved.pk, "score": 5}
    response = api.post("/api/surveys/", answer, format="json")
    assert response.status_code == 400 and "ticket" in response.json()["fields"]


def test_agent_records_a_callback(api, desk, resolved):
    api.force_authenticate(desk.agent)
    callback = {"ticket": resolved.pk, "method": "phone", "respondent": "孔工",
                "satisfied": True, "score": 4, "note": "已恢复"}  # fmt: skip
    response = api.post("/api/callbacks/", callback, format="json")
    assert response.status_code == 201 and response.json()["by"] == str(desk.agent)
    assert Ticket.objects.get(pk=resolved.pk).stage == Stage.CLOSED


def test_customer_exports_the_surveys_waiting_for_them(api, client_user, world, resolved):
    api.force_authenticate(client_user)
    response = api.get("/api/surveys/export/")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("工单", "机房", "故障现象", "解决于")
    listed = [w["number"] for w in api.get("/api/surveys/").json()["results"]]
    assert [r[0] for r in rows[1:]] == listed == [resolved.number]
    assert rows[1][2] == resolved.fault_phenomenon
    api.force_authenticate(world.user_b)  # another customer: none of ours
    rows = list(load_workbook(io.BytesIO(api.get("/api/surveys/export/").content)).active
                .iter_rows(values_only=True))  # fmt: skip
    assert rows[1:] == []
