"""API parity (issue 10 #7) and forms that keep their input (issue 9 #7): every action of the
visit page through `/api/field-visits/`, the same refusals with the same codes, and refused
web forms re-rendered with what was typed."""

import pytest

from weibao.documents.models import SignedDocument
from weibao.fieldservice import services
from weibao.fieldservice.models import TrainingSession, Visit
from weibao.fieldservice.testing import REPORT
from weibao.sla.models import Clock

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.fieldservice.tests.urls")]


def test_dispatch_by_an_engineer_is_403_in_the_api_and_the_web(api, client, field):
    ticket = field.onsite_ticket()
    api.force_authenticate(field.desk.engineer)
    body = {"ticket": ticket.pk, "engineer": field.desk.engineer.pk}
    answer = api.post("/api/field-visits/", body, format="json")
    assert answer.status_code == 403
    assert (answer.json()["code"], answer.json()["capability"]) == (
        "permission_denied", "ticket.dispatch")  # fmt: skip

    client.force_login(field.desk.engineer)
    page = client.post(
        f"/fieldservice/tickets/{ticket.pk}/dispatch/", {"engineer": body["engineer"]}
    )
    assert page.status_code == 403
    assert not Visit.objects.exists()
    assert Clock.objects.get(ticket=ticket, kind="onsite_response").met_at is None


def test_the_manager_dispatches_through_the_api(api, field):
    ticket = field.onsite_ticket()
    api.force_authenticate(field.desk.manager)
    answer = api.post(
        "/api/field-visits/", {"ticket": ticket.pk, "engineer": field.desk.engineer.pk}, "json"
    )
    assert answer.status_code == 201, answer.content
    visit = answer.json()
    assert visit["state"] == "planned" and visit["arrival_notice"] is None
    assert visit["moves"]["allowed"] == [] or all(
        m["verb"] in {"record_arrival", "cancel"} for m in visit["moves"]["allowed"]
    )
    refused = api.post(
        "/api/field-visits/", {"ticket": ticket.pk, "engineer": field.desk.engineer.pk}, "json"
    )
    assert refused.status_code == 400 and refused.json()["code"] == "already_dispatched"


def test_dispatch_before_onsite_confirmation_is_refused_in_the_api_and_kept_in_the_web(
    api, client, field
):
    ticket = field.desk.open(level="L2", asset=field.asset)
    api.force_authenticate(field.desk.manager)
    answer = api.post(
        "/api/field-visits/", {"ticket": ticket.pk, "engineer": field.desk.engineer.pk}, "json"
    )
    assert answer.status_code == 400 and answer.json()["code"] == "onsite_not_confirmed"

    client.force_login(field.desk.manager)
    page = client.post(
        f"/fieldservice/tickets/{ticket.pk}/dispatch/", {"engineer": field.desk.engineer.pk}
    )
    html = page.content.decode()
    assert page.status_code == 400
    assert "客户尚未确认需要现场支持" in html
    assert f'data-engineer="{field.desk.engineer.pk}" class="proposal-chosen"' in html


def test_the_engineers_day_through_the_api(api, field):
    engineer = field.desk.engineer
    visit = field.visit()
    api.force_authenticate(engineer)
    url = f"/api/field-visits/{visit.pk}"
    read = api.get(f"{url}/").json()
    assert {m["verb"] for m in read["moves"]["allowed"]} == {"depart", "check_in"}

    assert api.post(f"{url}/depart/").json()["state"] == "en_route"
    assert api.post(f"{url}/check-in/", {"lat": "32.04"}, format="json").status_code == 200
    blocked = api.get(f"{url}/").json()["moves"]["blocked"]
    assert any(b["verb"] == "check_out" and b["code"] == "service_report_missing" for b in blocked)
    wrong = api.post(f"{url}/depart/")
    assert (wrong.status_code, wrong.json()["code"]) == (409, "wrong_state")

    filed = api.post(f"{url}/documents/", {"kind": "service_report", "data": REPORT}, "json")
    assert filed.status_code == 201, filed.content
    refused = api.post(f"{url}/check-out/")
    assert (refused.status_code, refused.json()["code"]) == (400, "service_report_missing")
    no_reason = api.post(f"{url}/refuse-signature/", {"reason": ""}, "json")
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "reason_required"
    doc = api.post(f"{url}/refuse-signature/", {"reason": "客户拒签"}, "json").json()
    assert doc["state"] == "signature_refused" and doc["refused_reason"] == "客户拒签"

    too_long = {
        "topic": "日常维护",
        "method": "hands_on",
        "trainees": "钱值班员",
        "starts_at": "2026-03-02T09:00:00+08:00",
        "ends_at": "2026-03-02T11:30:00+08:00",
    }
    over = api.post(f"{url}/training/", too_long, "json")
    assert (over.status_code, over.json()["code"]) == (400, "training_too_long")
    ok = api.post(f"{url}/training/", {**too_long, "ends_at": "2026-03-02T11:00:00+08:00"}, "json")
    assert ok.status_code == 201 and ok.json()["record_state"] == "draft"
    assert api.get("/api/training-sessions/").json()["count"] == 1

    done = api.post(f"{url}/check-out/")
    assert done.status_code == 200 and done.json()["state"] == "done"
    assert TrainingSession.objects.count() == 1


def test_arrival_on_behalf_through_the_api_shows_as_recorded_on_behalf(api, field):
    visit = field.visit()
    url = f"/api/field-visits/{visit.pk}/record-arrival/"
    api.force_authenticate(field.desk.engineer)
    assert api.post(url, {"reason": "手机没电"}, "json").status_code == 403
    api.force_authenticate(field.desk.manager)
    no_reason = api.post(url, {"reason": ""}, "json")
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "note_required"

    answer = api.post(url, {"reason": "工程师手机没电"}, "json").json()

    assert answer["arrival_on_behalf"] is True and answer["arrival_reason"] == "工程师手机没电"
    assert Clock.objects.get(ticket=visit.ticket, kind="onsite_arrival").met_at is not None


def test_documents_api_edits_hands_over_and_refuses(api, field):
    engineer = field.desk.engineer
    visit = services.check_in(field.visit(), actor=engineer)
    doc = services.create_visit_document(visit, kind="service_report", data=REPORT, actor=engineer)
    api.force_authenticate(field.signer)
    assert api.post(f"/api/documents/{doc.pk}/edit/", {"data": REPORT}, "json").status_code == 403
    api.force_authenticate(engineer)
    edited = api.post(
        f"/api/documents/{doc.pk}/edit/", {"data": {**REPORT, "result": "正常"}}, "json"
    )
    assert edited.status_code == 200 and edited.json()["data"]["result"] == "正常"
    handed = api.post(f"/api/documents/{doc.pk}/request-signature/")
    assert handed.json()["state"] == "awaiting_signature"
    refused = api.post(f"/api/documents/{doc.pk}/refuse-signature/", {"reason": "不认可"}, "json")
    assert refused.json()["state"] == "signature_refused"


def test_a_major_operation_is_approved_only_by_the_customer_leader(api, field):
    engineer = field.desk.engineer
    visit = services.check_in(field.visit(), actor=engineer)
    approval = services.create_visit_document(
        visit, kind="major_operation", actor=engineer,
        data={"operation": "restart", "reason": "采集服务无响应", "impact": "监控中断约 10 分钟"},
    )  # fmt: skip
    sign = {"signer_name": "冯处长", "signer_role": "om_department", "signature": "x"}
    for who in (engineer, field.signer):
        api.force_authenticate(who)
        answer = api.post(f"/api/documents/{approval.pk}/sign/", sign, "json")
        assert answer.status_code == 403
        assert answer.json()["capability"] == "document.approve_major"
    assert SignedDocument.objects.get(pk=approval.pk).state == "draft"
    assert field.signed(approval, role="om_department").state == "signed"


def test_a_refused_arrival_on_behalf_keeps_the_reason_typed(client, field):
    visit = field.visit()
    client.force_login(field.desk.manager)
    page = client.post(
        f"/fieldservice/visits/{visit.pk}/record_arrival/",
        {"reason": "工程师电话报到", "arrived_at": "2030-01-01T10:00"},
    )
    html = page.content.decode()
    assert page.status_code == 400 and "到场时间必须在派工之后" in html
    assert 'value="工程师电话报到"' in html and 'value="2030-01-01T10:00"' in html


def test_visit_page_offers_moves_from_the_workflow_and_shows_on_behalf(client, field):
    visit = field.visit()
    client.force_login(field.desk.manager)
    html = client.get(f"/fieldservice/visits/{visit.pk}/").content.decode()
    assert 'data-testid="move-record-arrival"' in html and 'data-testid="check-in"' not in html
    client.post(f"/fieldservice/visits/{visit.pk}/record_arrival/", {"reason": "电话报到"})
    html = client.get(f"/fieldservice/visits/{visit.pk}/").content.decode()
    assert 'data-testid="on-behalf"' in html and "代为记录" in html and "电话报到" in html


def test_refusal_to_sign_from_the_visit_page(client, field):
    engineer = field.desk.engineer
    visit = services.check_in(field.visit(), actor=engineer)
    services.create_visit_document(visit, kind="service_report", data=REPORT, actor=engineer)
    client.force_login(engineer)
    url = f"/fieldservice/visits/{visit.pk}/refuse_signature/"
    kept = client.post(url, {"reason": " "})
    assert kept.status_code == 400 and "请填写客户拒签的原因" in kept.content.decode()
    assert client.post(url, {"reason": "值班员无权签字"}).status_code == 302
    assert client.post(f"/fieldservice/visits/{visit.pk}/check_out/").status_code == 302
    visit.refresh_from_db()
    assert visit.state == "done"


def test_a_site_without_distance_shows_the_table_13_notice_on_the_dispatch_page(client, field):
    site = field.desk.site
    site.service_point, site.road_distance_km = None, None
    site.save()
    ticket = field.onsite_ticket()
    client.force_login(field.desk.manager)
    html = client.get(f"/fieldservice/tickets/{ticket.pk}/dispatch/").content.decode()
    assert 'data-testid="arrival-notice"' in html and "表 13" in html
