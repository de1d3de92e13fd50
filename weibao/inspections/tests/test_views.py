"""The inspection screens: the planner's calendar and move, the engineer's checklist, the
customer's scoped plan."""

import datetime as dt

import pytest

from weibao.inspections import services
from weibao.inspections.choices import CheckOutcome, VisitKind, VisitState
from weibao.inspections.models import InspectionVisit, VisitMove
from weibao.testing.factories import PASSWORD
from weibao.tickets.models import Ticket

D = dt.date
pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.inspections.tests.urls")]


@pytest.fixture
def planned(estate, frozen_clock):
    frozen_clock(dt.datetime(2026, 3, 2, 9, 0))
    services.generate_plan(estate.contract, on=D(2026, 3, 2))
    return estate


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_planner_sees_the_month_with_its_visits_and_day_offs(client, planned):
    _login(client, planned.planner)

    page = client.get("/inspections/?month=2026-02").content.decode()

    assert "巡检计划 2026 年 2 月" in page
    assert 'data-date="2026-02-13"' in page and "春节前" in page
    assert "端局01" in page  # 2026-02-02
    assert "改期" in page


def test_planner_moves_a_visit_through_the_htmx_form(client, planned):
    _login(client, planned.planner)
    visit = InspectionVisit.objects.get(site=planned.core, planned_date=D(2026, 4, 23))

    form = client.get(f"/inspections/visits/{visit.pk}/move/", HTTP_HX_REQUEST="true")
    assert form.status_code == 200 and 'data-testid="move-form"' in form.content.decode()
    response = client.post(
        f"/inspections/visits/{visit.pk}/move/",
        {"new_date": "2026-04-28", "reason": "客户要求"},
        HTTP_HX_REQUEST="true",
    )

    assert response["HX-Redirect"] == "/inspections/?month=2026-04"
    visit.refresh_from_db()
    assert visit.planned_date == D(2026, 4, 28)
    assert VisitMove.objects.get(visit=visit).reason == "客户要求"


def test_move_without_reason_shows_the_error_in_the_form(client, planned):
    _login(client, planned.planner)
    visit = InspectionVisit.objects.get(site=planned.core, planned_date=D(2026, 4, 23))

    response = client.post(
        f"/inspections/visits/{visit.pk}/move/",
        {"new_date": "2026-03-01", "reason": "提前"},
        HTTP_HX_REQUEST="true",
    )

    assert "不能改到今天之前" in response.content.decode()
    visit.refresh_from_db()
    assert visit.planned_date == D(2026, 4, 23)


def test_engineers_and_customers_may_not_move_visits(client, planned):
    visit = InspectionVisit.objects.get(site=planned.core, planned_date=D(2026, 4, 23))
    for user in (planned.engineer, planned.customer_user):
        _login(client, user)
        response = client.post(
            f"/inspections/visits/{visit.pk}/move/", {"new_date": "2026-04-28", "reason": "x"}
        )
        assert response.status_code == 403


def test_engineer_arrives_and_records_a_failure_from_the_checklist(client, planned):
    _login(client, planned.engineer)
    visit = InspectionVisit.objects.get(
        site=planned.center, kind=VisitKind.CORE, planned_date=D(2026, 3, 9)
    )

    client.post(f"/inspections/visits/{visit.pk}/start/")
    page = client.get(f"/inspections/visits/{visit.pk}/checklist/").content.decode()
    check = visit.checks.get(text="平台告警记录中无未处理的告警")
    response = client.post(
        f"/inspections/checks/{check.pk}/",
        {f"c{check.pk}-outcome": "fail", f"c{check.pk}-note": "3 条门禁告警未处理",
         f"c{check.pk}-level": "L3"},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip

    assert "系统检查" in page and "常规检查" in page
    ticket = Ticket.objects.get()
    assert ticket.number in response.content.decode()
    assert 'hx-swap-oob="true"' in response.content.decode()  # the progress bar follows
    check.refresh_from_db()
    assert check.outcome == CheckOutcome.FAIL and check.ticket == ticket


def test_photo_is_stored_and_served_only_to_those_who_see_the_visit(
    client, planned, world, tmp_path, settings
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    _login(client, planned.engineer)
    visit = InspectionVisit.objects.get(
        site=planned.center, kind=VisitKind.CORE, planned_date=D(2026, 3, 9)
    )
    services.start_visit(visit, actor=planned.engineer)
    check = visit.checks.first()
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="JPEG")

    client.post(
        f"/inspections/checks/{check.pk}/",
        {f"c{check.pk}-outcome": "pass",
         f"c{check.pk}-photo": SimpleUploadedFile("ups.jpg", buffer.getvalue(), "image/jpeg")},
    )  # fmt: skip

    check.refresh_from_db()
    assert check.photo
    assert client.get(f"/inspections/checks/{check.pk}/photo/").status_code == 200
    _login(client, world.user_b)  # another customer
    assert client.get(f"/inspections/checks/{check.pk}/photo/").status_code == 404


def test_customer_sees_only_their_own_plan(client, planned, world):
    services.generate_plan(world.contract_b, on=D(2026, 3, 2))
    _login(client, planned.customer_user)

    page = client.get("/inspections/plan/").content.decode()
    calendar = client.get("/inspections/?month=2026-02").content.decode()

    assert "端局01" in page and "第 1 合同年度" in page and "2026-01-01" in page
    assert world.site_b.name not in page and world.site_b.name not in calendar
    assert "改期" not in calendar
    other = InspectionVisit.objects.filter(contract=world.contract_b).first()
    assert client.get(f"/inspections/visits/{other.pk}/").status_code == 404


def test_complete_from_the_phone_page_files_the_report(client, planned):
    _login(client, planned.engineer)
    visit = InspectionVisit.objects.get(
        site=planned.center, kind=VisitKind.CORE, planned_date=D(2026, 3, 9)
    )
    services.start_visit(visit, actor=planned.engineer)
    for check in visit.checks.all():
        services.record_check(check, outcome=CheckOutcome.PASS, actor=planned.engineer)

    client.post(f"/inspections/visits/{visit.pk}/complete/", {"summary": "运行正常"})

    visit.refresh_from_db()
    assert visit.state == VisitState.DONE
    page = client.get(f"/inspections/visits/{visit.pk}/").content.decode()
    assert "巡检报告" in page and "巡检申请报告" in page


def test_planner_generates_a_plan_from_the_calendar_page(client, estate, frozen_clock):
    frozen_clock(dt.datetime(2026, 3, 2, 9, 0))
    _login(client, estate.planner)

    response = client.post("/inspections/generate/", {"contract": estate.contract.pk})

    assert response.status_code == 302
    assert InspectionVisit.objects.filter(contract=estate.contract).count() == 19


def test_visit_list_filters_sorts_counts_and_exports_web_and_api(client, api, planned):
    import io

    from openpyxl import load_workbook

    from weibao.testing.factories import CustomerUserFactory

    def sheet(response) -> list[tuple]:
        return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))

    visits = InspectionVisit.objects.filter(customer=planned.customer)
    core = visits.filter(site=planned.core).order_by("planned_date")
    _login(client, planned.planner)
    page = client.get("/inspections/visits/", {"q": planned.core.name}).content.decode()
    assert f"共 {core.count()} 条" in page
    rows = sheet(client.get("/inspections/visits/", {"q": planned.core.name, "format": "xlsx"}))
    assert rows[0][:2] == ("计划日期", "巡检类型") and "巡检工程师" in rows[0]
    assert [r[0].date() for r in rows[1:]] == [v.planned_date for v in core]
    rows = sheet(client.get("/inspections/visits/", {"sort": "-planned", "format": "xlsx"}))
    assert len(rows) - 1 == visits.count()
    assert rows[1][0] >= rows[-1][0]
    api.force_authenticate(planned.customer_user)  # their own visits, no engineer names
    rows = sheet(api.get("/api/inspection-visits/export/", {"site": planned.core.pk}))
    assert len(rows) - 1 == core.count() and "巡检工程师" not in rows[0]
    api.force_authenticate(CustomerUserFactory())  # another customer: none
    assert sheet(api.get("/api/inspection-visits/export/"))[1:] == []
