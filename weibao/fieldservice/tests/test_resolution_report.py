"""Issue 9 #4: a phone or remote resolution fills the technical service report (§1.1.3 flow:
resolved → report signed by the customer → callback), like a visit's report does."""

from weibao.documents.models import SignedDocument
from weibao.documents.testing import sample_signature
from weibao.escalations.models import EmergencyAction
from weibao.fieldservice import services
from weibao.fieldservice.testing import REPORT
from weibao.tickets import services as tickets
from weibao.tickets.models import ResolutionCause


def _resolve(ticket, actor, *, fix="远程重启采集服务", prevention="每季度检查电源模块"):
    cause = ResolutionCause.objects.filter(active=True).order_by("pk").first()
    return tickets.resolve(ticket, cause=cause, fix=fix, prevention=prevention, actor=actor)


def _reports(ticket):
    return list(SignedDocument.objects.filter(ticket=ticket, kind="service_report"))


def test_a_phone_resolution_hands_the_customer_a_filled_service_report(field):
    desk = field.desk
    ticket = desk.open()
    tickets.move(ticket, "start_phone", actor=desk.engineer)
    ticket = _resolve(ticket, desk.engineer)
    [report] = _reports(ticket)
    assert report.state == "awaiting_signature"
    assert report.subject == ticket
    assert report.data["phenomenon"] == "监控中心看不到端局数据"
    assert report.data["cause"] == str(ticket.cause)
    assert report.data["actions"] == "远程重启采集服务"
    assert report.data["prevention"] == "每季度检查电源模块"
    assert "电话支持" in report.data["result"]


def test_a_remote_resolution_hands_the_customer_a_filled_service_report(field):
    desk = field.desk
    ticket = desk.open(level="L3")
    tickets.move(ticket, "start_phone", actor=desk.engineer)
    tickets.record_consent(ticket, by="钱值班员", method="phone", actor=desk.engineer)
    tickets.move(ticket, "go_remote", actor=desk.engineer)
    ticket = _resolve(ticket, desk.engineer, prevention="")
    [report] = _reports(ticket)
    assert report.state == "awaiting_signature"
    assert report.data["actions"] == "远程重启采集服务"
    assert report.data["prevention"] == "无"
    assert "远程支持" in report.data["result"]


def test_an_onsite_resolution_keeps_the_visit_report_only(field):
    engineer = field.desk.engineer
    visit = services.check_in(field.visit(), actor=engineer)
    field.signed(
        services.create_visit_document(visit, kind="service_report", data=REPORT, actor=engineer)
    )
    services.check_out(visit, actor=engineer)
    _resolve(visit.ticket, engineer)
    [report] = _reports(visit.ticket)
    assert report.subject == visit


def test_resolving_again_after_a_reopen_updates_the_one_report(field):
    desk = field.desk
    ticket = desk.open()
    tickets.move(ticket, "start_phone", actor=desk.engineer)
    _resolve(ticket, desk.engineer)
    tickets.move(ticket, "reopen", actor=desk.engineer, note="客户反映故障复现")
    ticket = _resolve(ticket, desk.engineer, fix="更换电源模块")
    [report] = _reports(ticket)
    assert report.data["actions"] == "更换电源模块"
    assert report.state == "awaiting_signature"


def test_an_agent_without_field_work_still_gets_the_report_filed(field):
    desk = field.desk
    ticket = desk.open()
    tickets.move(ticket, "start_phone", actor=desk.agent)
    ticket = _resolve(ticket, desk.agent)
    [report] = _reports(ticket)
    assert report.state == "awaiting_signature"


def test_the_customer_signs_the_report_through_the_api_and_the_ticket_page_shows_it(
    api, client, field
):
    desk = field.desk
    ticket = desk.open()
    tickets.move(ticket, "start_phone", actor=desk.engineer)
    ticket = _resolve(ticket, desk.engineer)
    [report] = _reports(ticket)
    api.force_authenticate(field.signer)
    listed = api.get("/api/documents/", {"ticket": ticket.pk}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert report.pk in [row["id"] for row in rows]
    sign = {"signer_name": "钱值班员", "signer_role": "duty", "signature": sample_signature()}
    answer = api.post(f"/api/documents/{report.pk}/sign/", sign, "json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "signed"
    client.force_login(desk.engineer)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert report.number in page


def test_signing_the_report_of_an_l1_phone_resolution_completes_the_aftercare(field):
    desk = field.desk
    ticket = desk.open(level="L1")
    ticket = _resolve(ticket, desk.engineer)
    action = EmergencyAction.objects.filter(ticket=ticket, code="signed_service_report").first()
    assert action is not None and not action.settled
    [report] = _reports(ticket)
    field.signed(report, role="duty")
    action.refresh_from_db()
    assert action.settled
