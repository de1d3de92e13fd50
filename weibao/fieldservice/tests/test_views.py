"""Field-service screens: the engineer's day, the visit page with its preparation archive and
forms, the manager's dispatch page, the ticket page fragment, and the visits API."""

import pytest
from django.template import Context, Template

from weibao.core.audit import record_event
from weibao.fieldservice import services
from weibao.fieldservice.models import TrainingSession, Visit
from weibao.fieldservice.testing import REPORT

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.fieldservice.tests.urls")]


def test_engineer_sees_todays_visit_with_the_arrival_countdown(client, field):
    visit = field.visit()
    client.force_login(field.desk.engineer)

    page = client.get("/fieldservice/today/").content.decode()

    assert visit.ticket.number in page
    assert 'class="countdown" data-due="' in page
    assert "到场签到" in page and "data-geolocate" in page


def test_customers_do_not_open_the_engineers_screens(client, field):
    visit = field.visit()
    client.force_login(field.signer)
    assert client.get("/fieldservice/today/").status_code == 403
    assert client.get(f"/fieldservice/visits/{visit.pk}/").status_code == 403


def test_check_in_from_the_phone_form_with_position(client, field):
    visit = field.visit()
    client.force_login(field.desk.engineer)
    response = client.post(
        f"/fieldservice/visits/{visit.pk}/check_in/",
        {"lat": "32.041500", "lon": "118.728100", "next": "/fieldservice/today/"},
    )
    assert response.url == "/fieldservice/today/"
    visit.refresh_from_db()
    assert visit.state == "on_site" and visit.check_in_lat is not None


def test_check_out_refusal_is_shown_to_the_engineer(client, field):
    visit = services.check_in(field.visit(), actor=field.desk.engineer)
    client.force_login(field.desk.engineer)
    response = client.post(f"/fieldservice/visits/{visit.pk}/check_out/", follow=True)
    assert "离场前必须由客户签署本次的技术服务报告" in response.content.decode()


def test_engineer_files_the_service_report_from_the_visit_page(client, field):
    visit = services.check_in(field.visit(), actor=field.desk.engineer)
    client.force_login(field.desk.engineer)
    url = f"/fieldservice/visits/{visit.pk}/documents/service_report/new/"
    form = client.get(url).content.decode()
    assert "监控中心看不到端局数据" in form  # the phenomenon, prefilled from the ticket

    incomplete = client.post(url, {"phenomenon": "无数据"})
    assert "请填写“故障原因”" in incomplete.content.decode()
    response = client.post(url, REPORT)

    assert response.status_code == 302
    doc = visit.ticket.documents.get()
    assert (doc.kind, doc.subject, doc.site) == ("service_report", visit, field.desk.site)
    page = client.get(f"/fieldservice/visits/{visit.pk}/").content.decode()
    assert "请求客户签字" in page and f"/documents/{doc.pk}/pdf/" in page


def test_visit_page_shows_the_customer_archive_before_going(client, field):
    engineer = field.desk.engineer
    earlier = field.visit()
    services.check_in(earlier, actor=engineer)
    field.signed(services.create_visit_document(earlier, kind="service_report", data=REPORT,
                                                actor=engineer))  # fmt: skip
    record_event(field.asset, kind="config", message="FSU 采集周期由 60 秒改为 30 秒")
    visit = field.visit()
    client.force_login(engineer)

    page = client.get(f"/fieldservice/visits/{visit.pk}/").content.decode()

    assert earlier.ticket.number in page  # earlier fault at this site
    assert "FSU 电源模块老化" in page  # how it was fixed (signed report)
    assert "FSU 采集周期由 60 秒改为 30 秒" in page  # asset archive: config change


def test_manager_confirms_a_proposed_engineer_on_the_dispatch_page(client, field):
    ticket = field.onsite_ticket()
    client.force_login(field.desk.manager)
    page = client.get(f"/fieldservice/tickets/{ticket.pk}/dispatch/").content.decode()
    assert field.desk.engineer.full_name in page and "30.0 km" in page and "匹配" in page

    response = client.post(
        f"/fieldservice/tickets/{ticket.pk}/dispatch/", {"engineer": field.desk.engineer.pk}
    )

    visit = Visit.objects.get()
    assert response.url == f"/fieldservice/visits/{visit.pk}/"
    assert visit.confirmed_by == field.desk.manager


def test_an_engineer_cannot_confirm_dispatch(client, field):
    ticket = field.onsite_ticket()
    client.force_login(field.desk.engineer)
    response = client.post(
        f"/fieldservice/tickets/{ticket.pk}/dispatch/", {"engineer": field.desk.engineer.pk}
    )
    assert response.status_code == 403
    assert not Visit.objects.exists()


def test_training_over_two_hours_is_refused_on_the_form(client, field):
    visit = services.check_in(field.visit(), actor=field.desk.engineer)
    client.force_login(field.desk.engineer)
    values = {"topic": "日常维护", "method": "daily_upkeep", "trainees": "钱值班员",
              "starts_at": "2026-03-02T09:00", "ends_at": "2026-03-02T11:01",
              "provider_cost": "0", "customer_cost": "0"}  # fmt: skip
    url = f"/fieldservice/visits/{visit.pk}/training/new/"
    refused = client.post(url, values).content.decode()
    assert "培训时长 2 小时 1 分钟" in refused
    assert client.post(url, {**values, "ends_at": "2026-03-02T11:00"}).status_code == 302
    assert TrainingSession.objects.get().record.state == "draft"


def test_ticket_page_fragment_lists_every_document_with_state_and_download(field, rf):
    engineer = field.desk.engineer
    visit = services.check_in(field.visit(), actor=engineer)
    report = services.create_visit_document(visit, kind="service_report", data=REPORT,
                                            actor=engineer)  # fmt: skip
    application = field.signed(services.create_visit_document(
        visit, kind="service_application", actor=engineer,
        data={"request": "无数据", "planned_work": "检查 FSU"},
    ))  # fmt: skip

    html = Template("{% load fieldservice %}{% ticket_field_service ticket %}").render(
        Context({"ticket": visit.ticket, "user": engineer})
    )

    for doc, state in ((report, "草稿"), (application, "已签字")):
        assert f"/documents/{doc.pk}/pdf/" in html
        assert doc.title in html
        assert state in html
    assert "/dispatch/" in html


def test_visits_api_checks_in_and_customers_only_read(api, field):
    visit = field.visit()
    api.force_authenticate(field.signer)
    assert api.get(f"/api/field-visits/{visit.pk}/").status_code == 200
    assert api.post(f"/api/field-visits/{visit.pk}/check-in/").status_code == 403

    api.force_authenticate(field.desk.engineer)
    answer = api.post(f"/api/field-visits/{visit.pk}/check-in/", {"lat": "32.04"}, format="json")

    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "on_site"
    refused = api.post(f"/api/field-visits/{visit.pk}/check-out/")
    assert refused.status_code == 400 and refused.json()["code"] == "service_report_missing"
